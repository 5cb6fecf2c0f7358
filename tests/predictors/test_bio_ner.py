import os

import pytest
import torch
from allennlp.common.checks import ConfigurationError
from allennlp.models.archival import load_archive
from allennlp.predictors import Predictor
from allennlp.commands.train import train_model_from_file

from allennlp_bioelmo.data.dataset_readers import BioConllDatasetReader
from allennlp_bioelmo.predictors import BioNerPredictor
from tests import REPOSITORY_ROOT

CONFIG = os.path.join(REPOSITORY_ROOT, "training_configs", "ner", "ncbi_disease.jsonnet")
TEXT = (
    "Germline mutations in BRCA1 predispose women to breast cancer. Fig. 2 shows that "
    "cystic fibrosis (CF) is caused by CFTR mutations."
)


@pytest.fixture(scope="module")
def predictor(tmp_path_factory):
    serialization_dir = tmp_path_factory.mktemp("ner")
    train_model_from_file(CONFIG, str(serialization_dir), overrides='{"trainer.num_epochs": 2}')
    archive = load_archive(str(serialization_dir / "model.tar.gz"))
    return Predictor.from_archive(archive)  # the model's default predictor


def test_default_predictor_is_bio_ner(predictor):
    assert type(predictor).__name__ == "BioNerPredictor"


def test_raw_text_offsets_map_back_to_the_input(predictor):
    result = predictor.predict_json({"text": TEXT})
    assert [t["text"] for t in result["tokens"]][:4] == ["Germline", "mutations", "in", "BRCA1"]
    for token in result["tokens"]:
        assert TEXT[token["start"] : token["end"]] == token["text"]
    assert len(result["tags"]) == len(result["tokens"])
    for entity in result["entities"]:
        assert TEXT[entity["start"] : entity["end"]] == entity["text"]
        first, last = (
            result["tokens"][entity["token_start"]],
            result["tokens"][entity["token_end"] - 1],
        )
        assert (entity["start"], entity["end"]) == (first["start"], last["end"])


def test_pretokenized_input_and_batches(predictor):
    results = predictor.predict_batch_json(
        [{"tokens": ["breast", "cancer", "risk"]}, {"text": ""}, {"text": TEXT}, {"tokens": []}]
    )
    assert [t["text"] for t in results[0]["tokens"]] == ["breast", "cancer", "risk"]
    assert results[1] == results[3] == {"tokens": [], "tags": [], "entities": []}
    assert results[2] == predictor.predict_json({"text": TEXT})
    assert predictor.predict_json({"tokens": []}) == {"tokens": [], "tags": [], "entities": []}


def test_input_without_text_or_tokens_is_an_error(predictor):
    with pytest.raises(Exception, match="neither 'text' nor 'tokens'"):
        predictor.predict_json({"sentence": TEXT})


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"text": 12}, "bio_ner input 1: 'text' must be a string, found int 12"),
        ({"tokens": [1, 2, 3]}, "bio_ner input 1: 'tokens' must be a list of non-empty strings"),
        ({"tokens": "breast cancer"}, "bio_ner input 1: 'tokens' must be a list of strings"),
    ],
)
def test_values_of_the_wrong_type_are_named_errors(inputs, message):
    # the errors come before the model runs: any module with a parameter stands in for it
    predictor = BioNerPredictor(torch.nn.Linear(1, 1), BioConllDatasetReader())
    with pytest.raises(ConfigurationError, match=message):
        predictor.predict_json(inputs)
    with pytest.raises(ConfigurationError, match=message.replace("input 1", "input 2")):
        predictor.predict_batch_json([{"text": ""}, inputs])
