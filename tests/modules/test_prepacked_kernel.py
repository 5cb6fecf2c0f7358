import copy
import pickle

import pytest
import torch

from allennlp_bioelmo.modules import prepacked_kernel
from allennlp_bioelmo.modules.prepacked_kernel import PrepackedKernel

needs_onednn = pytest.mark.skipif(
    not prepacked_kernel._ONEDNN_LINEAR, reason="this torch has no oneDNN linear operators"
)


def close(a, b):
    return float((a - b).abs().max()) <= 1e-5 * max(1.0, float(b.abs().max()))


@pytest.mark.parametrize("rows", [1, 2, 7, 32])
def test_matches_addmm_for_any_row_count(rows):
    torch.manual_seed(0)
    kernel, inputs, addend = torch.randn(64, 256), torch.randn(rows, 64), torch.randn(rows, 256)
    expected = torch.addmm(addend, inputs, kernel)
    assert close(PrepackedKernel().addmm(addend.clone(), inputs, kernel), expected)


@needs_onednn
def test_packs_once_and_repacks_after_the_kernel_changes_in_place():
    torch.manual_seed(0)
    kernel = torch.nn.Parameter(torch.randn(64, 256), requires_grad=False)
    inputs, addend = torch.randn(8, 64), torch.randn(8, 256)
    product = PrepackedKernel()
    product.addmm(addend.clone(), inputs, kernel)
    packed = product._packed
    product.addmm(addend.clone(), inputs, kernel)
    assert product._packed is packed  # reused
    with torch.no_grad():
        kernel.mul_(-2.0)  # what an optimizer step or load_state_dict does
    result = product.addmm(addend.clone(), inputs, kernel)
    assert product._packed is not packed
    assert close(result, torch.addmm(addend, inputs, kernel))


@needs_onednn
def test_kernels_that_need_gradients_single_rows_and_other_dtypes_are_not_packed():
    kernel = torch.randn(16, 32, requires_grad=True)
    inputs, addend = torch.randn(4, 16), torch.randn(4, 32)
    product = PrepackedKernel()
    with torch.no_grad():
        product.addmm(addend[:1].clone(), inputs[:1], kernel.detach())
        product.addmm(addend.clone().bfloat16(), inputs.bfloat16(), kernel.detach().bfloat16())
    assert product._packed is None
    product.addmm(addend.clone(), inputs.detach(), kernel)  # grad enabled, kernel trainable
    assert product._packed is None


@needs_onednn
def test_the_packed_copy_is_dropped_by_copies_and_pickles():
    kernel, inputs, addend = torch.randn(16, 32), torch.randn(4, 16), torch.randn(4, 32)
    product = PrepackedKernel(min_rows=3)
    product.addmm(addend.clone(), inputs, kernel)
    assert product._packed is not None
    for clone in (copy.deepcopy(product), pickle.loads(pickle.dumps(product))):
        assert clone._packed is None and clone.min_rows == 3
        assert close(clone.addmm(addend.clone(), inputs, kernel), addend + inputs @ kernel)


def test_without_the_onednn_operators_it_is_a_plain_addmm(monkeypatch):
    monkeypatch.setattr(prepacked_kernel, "_ONEDNN_LINEAR", False)
    kernel, inputs, addend = torch.randn(16, 32), torch.randn(4, 16), torch.randn(4, 32)
    product = PrepackedKernel()
    assert close(product.addmm(addend.clone(), inputs, kernel), addend + inputs @ kernel)
    assert product._packed is None
