import logging

import pytest
import torch

from allennlp_bioelmo.common import cpu_features
from allennlp_bioelmo.modules import bioelmo
from tests.conftest import TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS


def write_cpuinfo(path, flags):
    path.write_text(
        "processor\t: 0\nmodel name\t: test\nflags\t\t: " + " ".join(flags) + "\n\n"
        "processor\t: 1\nflags\t\t: fpu\n"
    )
    return str(path)


def test_reads_the_first_cpu_flags(tmp_path):
    sapphire = write_cpuinfo(tmp_path / "spr", ["fpu", "avx512f", "avx512_bf16", "amx_bf16"])
    epyc = write_cpuinfo(tmp_path / "epyc", ["fpu", "avx2", "avx512f"])
    assert cpu_features.native_bfloat16_flags(sapphire) == {"avx512_bf16", "amx_bf16"}
    assert cpu_features.native_bfloat16_flags(epyc) == set()
    assert cpu_features.cpu_flags(str(tmp_path / "missing")) == set()


@pytest.mark.parametrize(
    "native, requires_grad, expected, reason",
    [
        ({"amx_bf16"}, False, "bfloat16", "natively (amx_bf16)"),
        (set(), False, "float32", "no AMX/AVX512-BF16"),
        ({"amx_bf16"}, True, "float32", "fine-tuned"),
    ],
)
def test_auto_inference_dtype(monkeypatch, caplog, native, requires_grad, expected, reason):
    monkeypatch.setattr(bioelmo, "native_bfloat16_flags", lambda: native)
    with caplog.at_level(logging.INFO, logger=bioelmo.__name__):
        assert bioelmo.choose_inference_dtype(requires_grad) == expected
    assert reason in caplog.text


def test_auto_builds_a_bfloat16_bilm_where_the_cpu_has_it(monkeypatch):
    monkeypatch.setattr(bioelmo, "native_bfloat16_flags", lambda: {"avx512_bf16"})
    module = bioelmo.BioElmo(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, inference_dtype="auto")
    assert next(module.bilm.parameters()).dtype == torch.bfloat16
