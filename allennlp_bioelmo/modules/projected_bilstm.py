"""
The contextual half of the biLM: a stack of bidirectional LSTM layers with cell clipping, a
projection of the hidden state (clipped too) and residual connections between layers, as in
bilm-tf (TF's `LSTMCell(num_proj=..., cell_clip=..., proj_clip=...)` wrapped in `ResidualWrapper`).

Sequences travel *packed* (time-major, rows sorted by length, padding dropped, the layout of
`torch.nn.utils.rnn.PackedSequence`): step `t` of every active row is a contiguous slice, so
padding is never computed and the input-to-gate products of all steps are one large matrix product
per layer and direction, leaving only the recurrent product inside the per-step loop.
"""

from functools import partial
from typing import List, Optional, Sequence, Tuple

import torch
from torch.profiler import record_function

from allennlp_bioelmo.common.parallel_streams import (
    can_run_in_parallel_streams,
    run_in_parallel_streams,
)
from allennlp_bioelmo.modules.prepacked_kernel import PrepackedKernel


class ProjectedLstmDirection(torch.nn.Module):
    """
    One direction of one layer. Weights are stored as `(inputs, outputs)` kernels (TF's layout), so
    every product is `x @ kernel` on a contiguous matrix, which is markedly faster on CPU for the
    small per-step products than multiplying by a transposed view. Gate blocks are in the order
    (input, forget, output, new memory) so the three sigmoid gates are one contiguous slice; `bias`
    already includes TF's +1 forget bias.

    # Parameters

    input_size : `int`
        Width of the inputs.
    cell_size : `int`
        Width of the memory cell (`lstm.dim` in the options).
    projection_size : `int`
        Width of the projected hidden state (`lstm.projection_dim`).
    cell_clip : `float`
        Memory cells are clipped to `[-cell_clip, cell_clip]`; 0 disables clipping.
    proj_clip : `float`
        Projected states are clipped to `[-proj_clip, proj_clip]`; 0 disables clipping.
    go_forward : `bool`
        Reads the sequence left to right when true, right to left otherwise.
    """

    def __init__(
        self,
        input_size: int,
        cell_size: int,
        projection_size: int,
        cell_clip: float,
        proj_clip: float,
        go_forward: bool,
    ) -> None:
        super().__init__()
        self.cell_size = cell_size
        self.projection_size = projection_size
        self.cell_clip = cell_clip
        self.proj_clip = proj_clip
        self.go_forward = go_forward
        self.input_kernel = torch.nn.Parameter(torch.empty(input_size, 4 * cell_size))
        self.recurrent_kernel = torch.nn.Parameter(torch.empty(projection_size, 4 * cell_size))
        self.bias = torch.nn.Parameter(torch.zeros(4 * cell_size))
        self.projection_kernel = torch.nn.Parameter(torch.empty(cell_size, projection_size))
        for kernel in (self.input_kernel, self.recurrent_kernel, self.projection_kernel):
            torch.nn.init.uniform_(kernel, -(kernel.shape[0] ** -0.5), kernel.shape[0] ** -0.5)
        self._recurrent_product = PrepackedKernel()

    def forward(
        self,
        packed_inputs: torch.Tensor,
        batch_sizes: Sequence[int],
        initial_state: Tuple[torch.Tensor, torch.Tensor],
    ) -> Tuple[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        # Labelled for `torch.profiler` traces, which cannot tell the two directions apart
        # otherwise (and lose the caller's labels when a direction runs in another thread).
        direction = "forward" if self.go_forward else "backward"
        with record_function(f"ProjectedBiLstm.{direction}_direction"):
            return self._forward(packed_inputs, batch_sizes, initial_state)

    def _forward(
        self,
        packed_inputs: torch.Tensor,
        batch_sizes: Sequence[int],
        initial_state: Tuple[torch.Tensor, torch.Tensor],
    ) -> Tuple[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        """
        `packed_inputs` is `(total_tokens, input_size)` in packed order; `batch_sizes[t]` is how
        many rows are still active at step `t`; `initial_state` is `(hidden (batch,
        projection_size), memory (batch, cell_size))`. Returns the packed outputs and the final
        state of every row.
        """
        cell = self.cell_size
        # All input-to-gate products at once: the largest matrix product of the layer.
        packed_gates = torch.addmm(self.bias, packed_inputs, self.input_kernel)
        recurrent_kernel, projection_kernel = self.recurrent_kernel, self.projection_kernel
        offsets = [0]
        for size in batch_sizes:
            offsets.append(offsets[-1] + size)

        hidden, memory = initial_state
        needs_graph = torch.is_grad_enabled() and (
            packed_gates.requires_grad or hidden.requires_grad or memory.requires_grad
        )
        if not needs_graph:
            return self._forward_in_place(packed_gates, batch_sizes, offsets, hidden, memory)
        full_batch = hidden.shape[0]
        # One split rather than a slice per step: the backward of a slice materialises a zero
        # tensor the size of all gates, once per step (quadratic in the sentence length).
        step_gates = torch.split(packed_gates, list(batch_sizes))
        outputs: List[Optional[torch.Tensor]] = [None] * len(batch_sizes)
        steps = range(len(batch_sizes)) if self.go_forward else reversed(range(len(batch_sizes)))
        for step in steps:
            active = batch_sizes[step]
            gates = torch.addmm(step_gates[step], hidden[:active], recurrent_kernel)
            sigmoid_gates = torch.sigmoid(gates[:, : 3 * cell])
            new_memory = torch.tanh(gates[:, 3 * cell :])
            new_memory = (
                sigmoid_gates[:, :cell] * new_memory
                + sigmoid_gates[:, cell : 2 * cell] * memory[:active]
            )
            if self.cell_clip:
                new_memory = torch.clamp(new_memory, -self.cell_clip, self.cell_clip)
            new_hidden = torch.mm(
                sigmoid_gates[:, 2 * cell :] * torch.tanh(new_memory), projection_kernel
            )
            if self.proj_clip:
                new_hidden = torch.clamp(new_hidden, -self.proj_clip, self.proj_clip)
            outputs[step] = new_hidden
            # Rows past `active` are finished (forward) or not started yet (backward): they keep
            # their state. Concatenating rather than writing in place keeps autograd intact.
            if active < full_batch:
                hidden = torch.cat([new_hidden, hidden[active:]], dim=0)
                memory = torch.cat([new_memory, memory[active:]], dim=0)
            else:
                hidden, memory = new_hidden, new_memory
        return torch.cat(outputs, dim=0), (hidden, memory)  # type: ignore[arg-type]

    def _forward_in_place(
        self,
        packed_gates: torch.Tensor,
        batch_sizes: Sequence[int],
        offsets: Sequence[int],
        hidden: torch.Tensor,
        memory: torch.Tensor,
    ) -> Tuple[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        """
        The same recurrence without autograd: every step writes into buffers allocated once
        (the gate pre-activations are accumulated into `packed_gates` itself), which saves a large
        allocation and copy per step. The recurrent product goes through `PrepackedKernel`, whose
        rounding can differ from `addmm`'s in the last float32 bits; otherwise the same operations
        in the same order.
        """
        cell = self.cell_size
        hidden, memory = hidden.clone(), memory.clone()
        outputs = packed_gates.new_empty(packed_gates.shape[0], self.projection_size)
        scratch = packed_gates.new_empty(max(batch_sizes, default=0), cell)
        steps = range(len(batch_sizes)) if self.go_forward else reversed(range(len(batch_sizes)))
        for step in steps:
            active = batch_sizes[step]
            gates = self._recurrent_product.addmm(
                packed_gates[offsets[step] : offsets[step] + active],
                hidden[:active],
                self.recurrent_kernel,
            )
            gates[:, : 3 * cell].sigmoid_()
            new_memory = gates[:, 3 * cell :].tanh_()
            new_memory.mul_(gates[:, :cell])
            cell_memory = memory[:active]
            cell_memory.mul_(gates[:, cell : 2 * cell]).add_(new_memory)
            if self.cell_clip:
                cell_memory.clamp_(-self.cell_clip, self.cell_clip)
            gated = torch.tanh(cell_memory, out=scratch[:active]).mul_(
                gates[:, 2 * cell : 3 * cell]
            )
            step_output = outputs[offsets[step] : offsets[step] + active]
            torch.mm(gated, self.projection_kernel, out=step_output)
            if self.proj_clip:
                step_output.clamp_(-self.proj_clip, self.proj_clip)
            hidden[:active] = step_output
        return outputs, (hidden, memory)


class ProjectedBiLstm(torch.nn.Module):
    """
    `num_layers` bidirectional layers; `layers[l][0]` reads forward, `layers[l][1]` backward. With
    `use_skip_connections`, every layer after the first adds its input to its output.

    # Parameters

    input_size : `int`
        Width of the token vectors fed to the first layer.
    cell_size : `int`
        Memory cell width.
    projection_size : `int`
        Projected state width; every layer after the first reads vectors of this width.
    num_layers : `int`
        Number of bidirectional layers.
    cell_clip : `float`
        Memory cell clip value (0: none).
    proj_clip : `float`
        Projected state clip value (0: none).
    use_skip_connections : `bool`
        Residual connections around every layer after the first.
    parallel_directions : `bool`, optional (default = `True`)
        Without autograd, on a CPU with two or more intra-op threads, run the two directions of a
        layer at the same time, each with half of the threads (see
        `allennlp_bioelmo.common.parallel_streams`). Same operations, so the same numbers.
    """

    def __init__(
        self,
        input_size: int,
        cell_size: int,
        projection_size: int,
        num_layers: int,
        cell_clip: float,
        proj_clip: float,
        use_skip_connections: bool,
        parallel_directions: bool = True,
    ) -> None:
        super().__init__()
        self.cell_size = cell_size
        self.projection_size = projection_size
        self.num_layers = num_layers
        self.use_skip_connections = use_skip_connections
        self.parallel_directions = parallel_directions
        self.layers = torch.nn.ModuleList(
            torch.nn.ModuleList(
                ProjectedLstmDirection(
                    input_size if layer == 0 else projection_size,
                    cell_size,
                    projection_size,
                    cell_clip,
                    proj_clip,
                    go_forward=direction == 0,
                )
                for direction in (0, 1)
            )
            for layer in range(num_layers)
        )

    def zero_state(self, batch_size: int, like: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """States for `batch_size` rows, `(hidden (layers, batch, 2 * projection), memory (layers,
        batch, 2 * cell))`, forward half first."""
        return (
            like.new_zeros(self.num_layers, batch_size, 2 * self.projection_size),
            like.new_zeros(self.num_layers, batch_size, 2 * self.cell_size),
        )

    def _needs_graph(self, *tensors: torch.Tensor) -> bool:
        if not torch.is_grad_enabled():
            return False
        return any(t.requires_grad for t in tensors) or any(
            p.requires_grad for p in self.parameters()
        )

    def forward(
        self,
        packed_inputs: torch.Tensor,
        batch_sizes: Sequence[int],
        initial_state: Tuple[torch.Tensor, torch.Tensor],
    ) -> Tuple[List[torch.Tensor], Tuple[torch.Tensor, torch.Tensor]]:
        """
        Returns the packed output of every layer, `(total_tokens, 2 * projection_size)` forward half
        first, and the final states in the layout of `zero_state`.
        """
        proj, cell = self.projection_size, self.cell_size
        forward_inputs = backward_inputs = packed_inputs
        layer_outputs: List[torch.Tensor] = []
        final_hidden, final_memory = [], []
        for layer, (forward_lstm, backward_lstm) in enumerate(self.layers):
            hidden, memory = initial_state[0][layer], initial_state[1][layer]

            run_forward = partial(
                forward_lstm, forward_inputs, batch_sizes, (hidden[:, :proj], memory[:, :cell])
            )
            run_backward = partial(
                backward_lstm, backward_inputs, batch_sizes, (hidden[:, proj:], memory[:, cell:])
            )
            if (
                self.parallel_directions
                and not self._needs_graph(forward_inputs, backward_inputs, hidden, memory)
                and can_run_in_parallel_streams(hidden.device)
            ):
                (forward_outputs, forward_state), (backward_outputs, backward_state) = (
                    run_in_parallel_streams(run_forward, run_backward)
                )
            else:
                forward_outputs, forward_state = run_forward()
                backward_outputs, backward_state = run_backward()
            if layer > 0 and self.use_skip_connections:
                forward_outputs = forward_outputs + forward_inputs
                backward_outputs = backward_outputs + backward_inputs
            layer_outputs.append(torch.cat([forward_outputs, backward_outputs], dim=-1))
            final_hidden.append(torch.cat([forward_state[0], backward_state[0]], dim=-1))
            final_memory.append(torch.cat([forward_state[1], backward_state[1]], dim=-1))
            forward_inputs, backward_inputs = forward_outputs, backward_outputs
        return layer_outputs, (torch.stack(final_hidden), torch.stack(final_memory))
