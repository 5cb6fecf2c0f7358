import os

import pytest
from allennlp.common.testing import ModelTestCase

from tests import FIXTURES, REPOSITORY_ROOT

# the two models under comparison must see identical batches
DETERMINISTIC_BATCHES = (
    '"data_loader.batch_sampler.padding_noise": 0.0, "data_loader.batch_sampler.shuffle": false'
)
SAMPLE = os.path.join(FIXTURES, "data", "mednli", "sample.jsonl")


class TestBioNliClassifier(ModelTestCase):
    @pytest.mark.parametrize(
        "config, overrides",
        [
            (
                "nli/mednli.jsonnet",
                '{"model.text_field_embedder.token_embedders.elmo.dropout": 0.0, '
                '"model.feedforward.dropout": 0.0, ' + DETERMINISTIC_BATCHES + "}",
            ),
            ("probing/mednli_bilinear.jsonnet", "{" + DETERMINISTIC_BATCHES + "}"),
        ],
    )
    def test_can_train_save_and_load_and_batch(self, config, overrides):
        self.set_up_model(os.path.join(REPOSITORY_ROOT, "training_configs", config), SAMPLE)
        self.ensure_model_can_train_save_and_load(
            self.param_file, overrides=overrides, tolerance=1e-4
        )
        self.model.eval()
        self.ensure_batch_predictions_are_consistent()
