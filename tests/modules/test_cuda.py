"""
The biLM, the embedder and the language model on a GPU: the same numbers as on the CPU. Skipped
(with the reason) where torch sees no CUDA device, as on the CPU-only machines CI runs on.
"""

import pytest
import torch

from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel
from allennlp_bioelmo.language_model.evaluation import perplexity
from allennlp_bioelmo.modules import BiLm, BioElmo
from tests.conftest import TEST_BILM_OPTIONS, TEST_BILM_VOCAB, TEST_BILM_WEIGHTS
from tests.modules.bilm_test_utils import SENTENCES

pytestmark = [
    pytest.mark.cuda,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device visible to torch"),
]


def relative_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.cpu() - b.cpu()).abs().max() / b.abs().max().clamp(min=1e-12))


def test_bilm_on_the_gpu_matches_the_cpu():
    cpu = BiLm.from_files(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)
    gpu = BiLm.from_files(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS).cuda()
    ids = batch_to_ids(SENTENCES)
    with torch.no_grad():
        expected = cpu(ids)["activations"]
        found = gpu(ids.cuda())["activations"]
    for a, b in zip(found, expected):
        assert a.device.type == "cuda"
        assert relative_difference(a, b) <= 1e-5


def test_bioelmo_with_warm_start_on_the_gpu_matches_the_cpu():
    kwargs = dict(dropout=0.0, warm_start=True)
    cpu = BioElmo(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, **kwargs)
    gpu = BioElmo(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, **kwargs).cuda()
    ids = batch_to_ids(SENTENCES)
    with torch.no_grad():
        expected = cpu(ids)["representation"]
        found = gpu(ids.cuda())["representation"]
    assert relative_difference(found, expected) <= 1e-5


def test_language_model_perplexity_on_the_gpu_matches_the_cpu():
    vocabulary = [line.strip() for line in open(TEST_BILM_VOCAB, encoding="utf-8") if line.strip()]
    torch.manual_seed(0)
    cpu = BiLmLanguageModel.from_files(TEST_BILM_OPTIONS, vocabulary, TEST_BILM_WEIGHTS)
    gpu = BiLmLanguageModel.from_files(TEST_BILM_OPTIONS, vocabulary, TEST_BILM_WEIGHTS)
    gpu.load_state_dict(cpu.state_dict())
    gpu.cuda()
    sentences = [s for s in SENTENCES if s]
    expected, found = perplexity(cpu, sentences), perplexity(gpu, sentences)
    assert found["forward"] == pytest.approx(expected["forward"], rel=1e-5)
    assert found["backward"] == pytest.approx(expected["backward"], rel=1e-5)
