"""
Every config in training_configs/ trains as shipped (bundled fixtures) through the real CLI, and
`allennlp predict` and `allennlp evaluate` work on the archive it writes.
"""

import glob
import json
import os

import pytest

from allennlp_bioelmo.common.config_variables import config_variable_defaults
from tests import REPOSITORY_ROOT
from tests.commands.cli import allennlp_in_process as allennlp

CONFIGS = sorted(
    os.path.relpath(path, REPOSITORY_ROOT)
    for path in glob.glob(
        os.path.join(REPOSITORY_ROOT, "training_configs", "**", "*.jsonnet"), recursive=True
    )
)
PREDICT_INPUTS = {
    "ner": {"text": "Germline mutations in BRCA1 cause breast cancer. IL-2 levels rose."},
    "probing/bc2gm": {"text": "Mutations in the p53 gene are common."},
    "relation/chemprot_scibert": {"text": "[[ Aspirin ]] inhibits << COX-1 >> in platelets."},
    "relation/chemprot_blue": {"sentence": "@CHEMICAL$ inhibits @GENE$ in platelets."},
    "relation/ddi": {"sentence": "@DRUG$ raises the levels of @DRUG$."},
    "relation/gad": {"sentence": "@GENE$ variants are associated with @DISEASE$."},
    "relation/cdr_cid": {
        "text": "Cisplatin induced nephrotoxicity in rats.",
        "head": {"start": 0, "end": 9},
        "tail": {"start": 18, "end": 32},
    },
    "relation/ddi_xml": {"sentence": "@DRUG$ raises the levels of @DRUG$."},
    "nli": {
        "sentence1": "The patient denies chest pain.",
        "sentence2": "The patient has chest pain.",
    },
    "probing/mednli": {
        "sentence1": "The patient denies chest pain.",
        "sentence2": "The patient has chest pain.",
    },
}
TEST_VARIABLE = {
    "ner/ncbi_disease": "NCBI_DISEASE_TEST",
    "ner/bc5cdr": "BC5CDR_TEST",
    "ner/jnlpba": "JNLPBA_TEST",
    "ner/bc2gm": "BC2GM_TEST",
    "ner/iob": "IOB_TEST",
    "ner/cdr_pubtator": "CDR_PUBTATOR_TEST",
    "ner/brat": "BRAT_TEST",
    "ner/bioc": "BIOC_TEST",
    "ner/cdr_bioc": "CDR_BIOC_TEST",
    "ner/ddi_drugs": "DDI_DRUGS_TEST",
    "relation/chemprot_blue": "CHEMPROT_BLUE_TEST",
    "relation/chemprot_scibert": "CHEMPROT_TEST",
    "relation/ddi": "DDI_TEST",
    "relation/cdr_cid": "CDR_CID_TEST",
    "relation/ddi_xml": "DDI_XML_TEST",
    "relation/gad": "GAD_TEST",
    "nli/mednli": "MEDNLI_TEST",
    "probing/bc2gm_mlp_crf": "BC2GM_TEST",
    "probing/bc2gm_bilstm_crf": "BC2GM_TEST",
    "probing/mednli_bilinear": "MEDNLI_TEST",
}


def config_key(config):
    return os.path.splitext(os.path.relpath(config, "training_configs"))[0]


def predict_input(key):
    matches = [prefix for prefix in PREDICT_INPUTS if key.startswith(prefix)]
    return PREDICT_INPUTS[max(matches, key=len)]


def test_every_config_is_covered():
    assert {config_key(c) for c in CONFIGS} == set(TEST_VARIABLE)


@pytest.mark.parametrize("config", CONFIGS, ids=config_key)
def test_config_trains_predicts_and_evaluates(config, tmp_path):
    key = config_key(config)
    serialization_dir = tmp_path / "model"
    allennlp("train", config, "-s", str(serialization_dir), "-o", '{"trainer.num_epochs": 2}')
    archive = str(serialization_dir / "model.tar.gz")
    metrics = json.loads((serialization_dir / "metrics.json").read_text())
    assert metrics["epoch"] == 1 and any(name.startswith("test_") for name in metrics)

    inputs = tmp_path / "input.jsonl"
    inputs.write_text(json.dumps(predict_input(key)) + "\n")
    output = tmp_path / "predictions.jsonl"
    allennlp("predict", archive, str(inputs), "--output-file", str(output), "--silent")
    prediction = json.loads(output.read_text())
    if key.startswith(("ner", "probing/bc2gm")):
        assert len(prediction["tags"]) == len(prediction["tokens"]) > 0
    else:
        assert prediction["label"] in prediction["class_probabilities"]
        assert abs(sum(prediction["class_probabilities"].values()) - 1.0) < 1e-4

    evaluation = tmp_path / "evaluation.json"
    allennlp(
        "evaluate",
        archive,
        config_variable_defaults(REPOSITORY_ROOT)[TEST_VARIABLE[key]],
        "--output-file",
        str(evaluation),
    )
    assert "loss" in json.loads(evaluation.read_text())


@pytest.mark.parametrize("available, expected", [(True, "0"), (False, "-1")])
def test_configs_use_the_gpu_where_there_is_one(monkeypatch, available, expected):
    import torch
    from allennlp.common import Params

    from allennlp_bioelmo.common import config_variables

    monkeypatch.setattr(torch.cuda, "is_available", lambda: available)
    assert config_variables.config_variable_defaults(REPOSITORY_ROOT)["CUDA_DEVICE"] == expected
    for config in CONFIGS:
        monkeypatch.setenv("CUDA_DEVICE", expected)
        params = Params.from_file(os.path.join(REPOSITORY_ROOT, config))
        assert params["trainer"]["cuda_device"] == int(expected), config
