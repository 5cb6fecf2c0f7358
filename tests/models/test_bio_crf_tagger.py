import json
import os

import pytest
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.common.testing import ModelTestCase
from allennlp.models import Model

from tests import FIXTURES, REPOSITORY_ROOT

CONFIG = os.path.join(REPOSITORY_ROOT, "training_configs", "ner", "ncbi_disease.jsonnet")


class TestBioCrfTagger(ModelTestCase):
    def setup_method(self):
        super().setup_method()
        self.set_up_model(CONFIG, os.path.join(FIXTURES, "data", "ncbi_disease", "train.txt"))

    def test_can_train_save_and_load(self):
        # dropout off and batches fixed, so the saved and loaded models see the same thing
        overrides = {
            "model.text_field_embedder.token_embedders.elmo.dropout": 0.0,
            "model.dropout": 0.0,
            "data_loader.batch_sampler.padding_noise": 0.0,
            "data_loader.batch_sampler.shuffle": False,
        }
        self.ensure_model_can_train_save_and_load(
            self.param_file, overrides=json.dumps(overrides), tolerance=1e-4
        )

    def test_batch_predictions_are_consistent(self):
        self.model.eval()
        self.ensure_batch_predictions_are_consistent(keys_to_ignore=("loss",))

    def test_decoding_respects_bio_constraints(self):
        self.model.eval()
        output = self.model.make_output_human_readable(self.model(**self.dataset.as_tensor_dict()))
        assert len(output["tags"]) == len(self.instances)
        for tags in output["tags"]:
            for previous, current in zip(["O"] + tags, tags):
                if current.startswith("I-"):
                    assert previous[2:] == current[2:], tags

    def test_mismatched_encoder_and_feedforward_dimensions_are_configuration_errors(self):
        params = Params.from_file(self.param_file)["model"]
        wrong_encoder = params.duplicate()
        wrong_encoder["encoder"] = {"type": "lstm", "input_size": 7, "hidden_size": 4}
        with pytest.raises(
            ConfigurationError, match="text field embedder output dim .* encoder input dim"
        ):
            Model.from_params(vocab=self.vocab, params=wrong_encoder)
        wrong_feedforward = params.duplicate()
        wrong_feedforward["feedforward"] = {
            "input_dim": 7,
            "num_layers": 1,
            "hidden_dims": 4,
            "activations": "relu",
        }
        with pytest.raises(ConfigurationError, match="encoded token dim .* feedforward input dim"):
            Model.from_params(vocab=self.vocab, params=wrong_feedforward)
