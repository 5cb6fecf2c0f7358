"""
How the biLM's layers become one vector per token.
"""

from typing import List, Optional

import torch
from allennlp.common.checks import ConfigurationError
from allennlp.modules.scalar_mix import ScalarMix

LAYER_MIX_MODES = ("scalar_mix", "paper", "top", "average", "concat")


class BiLmLayerMix(torch.nn.Module):
    """
    Combines the biLM's `num_layers` activations `(batch, timesteps, dim)` into one tensor.

    Modes:

    * `"scalar_mix"`: AllenNLP's ELMo mix, `gamma * sum_k softmax(s)_k * layer_k`, optionally with
      layer norm and with fixed `scalar_mix_parameters`;
    * `"paper"`: the BioELMo paper's mix (Jin et al. 2019): learned softmax weights, no scale
      factor, no layer norm;
    * `"top"`: the last LSTM layer only;
    * `"average"`: the unweighted mean of `layers`;
    * `"concat"`: `layers` concatenated, so the output is `len(layers) * dim` wide.

    # Parameters

    num_layers : `int`
        How many activations the biLM returns (LSTM layers + 1).
    input_dim : `int`
        Width of each activation.
    mode : `str`, optional (default = `"scalar_mix"`)
        One of the modes above.
    layers : `List[int]`, optional (default = all layers)
        Which layers `"average"` and `"concat"` use (0 = the char-CNN token layer).
    do_layer_norm : `bool`, optional (default = `False`)
        Layer norm inside `"scalar_mix"`.
    scalar_mix_parameters : `List[float]`, optional (default = `None`)
        Fixed, untrained pre-softmax weights for `"scalar_mix"`.
    """

    def __init__(
        self,
        num_layers: int,
        input_dim: int,
        mode: str = "scalar_mix",
        layers: Optional[List[int]] = None,
        do_layer_norm: bool = False,
        scalar_mix_parameters: Optional[List[float]] = None,
    ) -> None:
        super().__init__()
        if mode not in LAYER_MIX_MODES:
            raise ConfigurationError(f"layer_mix must be one of {LAYER_MIX_MODES}, got {mode!r}")
        self.mode = mode
        self.layers = list(range(num_layers)) if layers is None else list(layers)
        if not self.layers or any(not 0 <= k < num_layers for k in self.layers):
            raise ConfigurationError(
                f"layers must be a non-empty list of indices in [0, {num_layers}), got {layers}"
            )
        if mode in ("scalar_mix", "paper") and layers is not None:
            raise ConfigurationError(f"'layers' applies to 'average' and 'concat', not to {mode!r}")
        if mode != "scalar_mix" and (do_layer_norm or scalar_mix_parameters is not None):
            raise ConfigurationError(
                "do_layer_norm and scalar_mix_parameters apply to layer_mix 'scalar_mix' only"
            )
        self._output_dim = input_dim * (len(self.layers) if mode == "concat" else 1)
        if mode == "scalar_mix":
            self.scalar_mix = ScalarMix(
                num_layers,
                do_layer_norm=do_layer_norm,
                initial_scalar_parameters=scalar_mix_parameters,
                trainable=scalar_mix_parameters is None,
            )
        elif mode == "paper":
            self.layer_weights = torch.nn.Parameter(torch.zeros(num_layers))

    def get_output_dim(self) -> int:
        return self._output_dim

    def forward(self, activations: List[torch.Tensor], mask: torch.Tensor) -> torch.Tensor:
        """
        The mode's combination of `activations` (each `(batch, timesteps, dim)`); `mask` for layer
        norm.
        """
        if self.mode == "scalar_mix":
            return self.scalar_mix(activations, mask)
        if self.mode == "paper":
            weights = torch.softmax(self.layer_weights, dim=0)
            mixed = weights[0] * activations[0]
            for weight, layer in zip(weights[1:], activations[1:]):
                mixed = mixed + weight * layer
            return mixed
        if self.mode == "top":
            return activations[-1]
        chosen = [activations[k] for k in self.layers]
        if self.mode == "average":
            return torch.stack(chosen).mean(dim=0)
        return torch.cat(chosen, dim=-1)
