"""
`PrepackedKernel`: `addend + inputs @ kernel` for a kernel that is multiplied many times in a row
by a few rows at a time, the biLM's recurrent product (at most batch-size rows, one call per
step).

For such products a plain float32 CPU matrix product rearranges ("packs") the whole kernel into its
blocked layout on every call; for the recurrent kernel (512 x 16,384 at BioELMo's size) that costs
more than the arithmetic. oneDNN can pack it once and reuse the packed copy: about twice the rate
for 2-32 rows on the CPUs we measured (`benchmarks/bilm_throughput.py --profile`). The packed copy
is remade whenever the kernel changes (an optimizer step, `load_state_dict`, `.to(...)`), and
costs one more copy of the kernel in memory. Everywhere else (autograd, CUDA, other dtypes,
single rows, a torch without oneDNN) the product is the usual `addmm`.
"""

from typing import Optional, Tuple

import torch


def _onednn_linear_available() -> bool:
    if not torch.backends.mkldnn.is_available():
        return False
    try:  # private operators (they back torch.compile's CPU linear layers); absent in some builds
        torch.ops.mkldnn._reorder_linear_weight
        torch.ops.mkldnn._linear_pointwise
    except (AttributeError, RuntimeError):
        return False
    return True


class PrepackedKernel:
    """
    Holds the packed copy of one kernel. Not a module and not part of any state dict: it is a
    cache, dropped when its owner is pickled or copied.

    # Parameters

    min_rows : `int`, optional (default = `2`)
        Products with fewer rows use `addmm`: a single row is faster unpacked.
    """

    def __init__(self, min_rows: int = 2) -> None:
        self.min_rows = min_rows
        self._source: Optional[torch.Tensor] = None  # the kernel the packed copy was made from
        self._key: Optional[Tuple] = None
        self._packed: Optional[torch.Tensor] = None

    def _packed_kernel(self, kernel: torch.Tensor, rows: int) -> Optional[torch.Tensor]:
        usable = (
            kernel.device.type == "cpu"
            and kernel.dtype == torch.float32
            and not (torch.is_grad_enabled() and kernel.requires_grad)
            and _ONEDNN_LINEAR
        )
        if not usable:
            return None
        # `_version` counts in-place changes (an optimizer step, `load_state_dict`), the storage
        # address catches `.data` being swapped, and holding `_source` keeps a new kernel from
        # reusing the old one's address.
        key = (kernel.data_ptr(), kernel._version)
        if kernel is not self._source or key != self._key:
            with torch.no_grad():
                # oneDNN takes (outputs, inputs) weights; `rows` only guides its layout choice.
                self._packed = torch.ops.mkldnn._reorder_linear_weight(
                    kernel.detach().t().contiguous(), rows
                )
            self._source, self._key = kernel, key
        return self._packed

    def addmm(
        self, addend: torch.Tensor, inputs: torch.Tensor, kernel: torch.Tensor
    ) -> torch.Tensor:
        """
        `addend + inputs @ kernel`, for `addend` `(rows, outputs)`, `inputs` `(rows, k)` and
        `kernel` `(k, outputs)`. May write into `addend` and return it, so pass a tensor that
        may be overwritten.
        """
        packed = None
        if inputs.shape[0] >= self.min_rows:
            packed = self._packed_kernel(kernel, inputs.shape[0])
        if packed is None:
            return addend.addmm_(inputs, kernel)
        return torch.ops.mkldnn._linear_pointwise.binary(inputs, addend, packed, None, "add")

    def __getstate__(self):
        return {"min_rows": self.min_rows}

    def __setstate__(self, state) -> None:
        self.__init__(state["min_rows"])  # type: ignore[misc]


_ONEDNN_LINEAR = _onednn_linear_available()
