import os

import pytest
import torch
from allennlp.common.checks import ConfigurationError
from allennlp.commands.train import train_model_from_file
from allennlp.models.archival import load_archive
from allennlp.predictors import Predictor

from allennlp_bioelmo.data.dataset_readers import BioRelationDatasetReader
from allennlp_bioelmo.predictors import BioRelationPredictor
from tests import REPOSITORY_ROOT

CONFIG = os.path.join(REPOSITORY_ROOT, "training_configs", "relation", "chemprot_scibert.jsonnet")


@pytest.fixture(scope="module")
def predictor(tmp_path_factory):
    serialization_dir = tmp_path_factory.mktemp("relation")
    train_model_from_file(CONFIG, str(serialization_dir), overrides='{"trainer.num_epochs": 1}')
    return Predictor.from_archive(load_archive(str(serialization_dir / "model.tar.gz")))


def test_marked_masked_and_offset_inputs(predictor):
    assert type(predictor).__name__ == "BioRelationPredictor"
    marked = predictor.predict_json({"text": "[[ Aspirin ]] inhibits << COX-1 >> in platelets."})
    assert marked["tokens"]["words"][
        marked["tokens"]["head"][0] : marked["tokens"]["head"][1] + 1
    ] == ["COX", "-", "1"]
    assert marked["label"] == max(
        marked["class_probabilities"], key=marked["class_probabilities"].get
    )
    spans = predictor.predict_json(
        {
            "text": "Aspirin inhibits COX-1.",
            "head": {"start": 17, "end": 22},
            "tail": {"start": 0, "end": 7},
        }
    )
    assert spans["tokens"]["words"] == ["Aspirin", "inhibits", "COX", "-", "1", "."]
    assert spans["tokens"]["head"] == [2, 4] and spans["tokens"]["tail"] == [0, 0]
    masked = predictor.predict_json({"sentence": "@CHEMICAL$ inhibits @GENE$."})
    assert masked["tokens"]["words"] == ["@CHEMICAL$", "inhibits", "@GENE$", "."]


def test_bad_input_is_explained(predictor):
    with pytest.raises(Exception, match="expected 'sentence', 'text' or 'head'/'tail'"):
        predictor.predict_json({"abstract": "x"})


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"text": 12}, "bio_relation input: 'text' must be a string, found int 12"),
        ({"sentence": 12}, "bio_relation input: 'sentence' must be a string, found int 12"),
        (
            {"tokens": "abc", "head": {"start": 0, "end": 1}, "tail": {"start": 1, "end": 2}},
            "bio_relation input: 'tokens' must be a list of strings",
        ),
        (
            {"text": "a  b", "head": {"start": 1, "end": 2}, "tail": {"start": 0, "end": 1}},
            "bio_relation input: 'head' \\(characters 1-2, ' '\\) covers no token",
        ),
        (
            {"sentence": "@CHEMICAL inhibits @GENE$."},
            "bio_relation input: expected two entity masks",
        ),
    ],
)
def test_values_of_the_wrong_type_are_named_errors(inputs, message):
    # the errors come before the model runs: any module with a parameter stands in for it
    predictor = BioRelationPredictor(torch.nn.Linear(1, 1), BioRelationDatasetReader())
    with pytest.raises(ConfigurationError, match=message):
        predictor.predict_json(inputs)
