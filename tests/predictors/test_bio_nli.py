import pytest
import torch
from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.data.dataset_readers import BioNliDatasetReader
from allennlp_bioelmo.predictors import BioNliPredictor


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"sentence1": "a"}, "bio_nli input: missing or non-string \\['sentence2'\\]"),
        ({"sentence1": 12, "sentence2": "b"}, "missing or non-string \\['sentence1'\\]"),
        (
            {"sentence1": "a", "sentence2": " "},
            "bio_nli input: 'sentence2' \\(hypothesis\\) is empty",
        ),
    ],
)
def test_bad_inputs_are_named_errors(inputs, message):
    # the errors come before the model runs: any module with a parameter stands in for it
    predictor = BioNliPredictor(torch.nn.Linear(1, 1), BioNliDatasetReader())
    with pytest.raises(ConfigurationError, match=message):
        predictor.predict_json(inputs)
