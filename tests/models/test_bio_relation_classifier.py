import os

import pytest
import torch
from allennlp.common.testing import ModelTestCase

from tests import FIXTURES, REPOSITORY_ROOT

NO_DROPOUT = (
    '{"model.text_field_embedder.token_embedders.elmo.dropout": 0.0, "model.feedforward.dropout": '
    "0.0, "
    '"data_loader.batch_sampler.padding_noise": 0.0, "data_loader.batch_sampler.shuffle": false}'
)


class TestBioRelationClassifier(ModelTestCase):
    def setup_method(self):
        super().setup_method()
        self.config = os.path.join(
            REPOSITORY_ROOT, "training_configs", "relation", "chemprot_blue.jsonnet"
        )
        self.set_up_model(
            self.config, os.path.join(FIXTURES, "data", "relation", "chemprot_blue.tsv")
        )

    def test_can_train_save_and_load(self):
        self.ensure_model_can_train_save_and_load(
            self.param_file, overrides=NO_DROPOUT, tolerance=1e-4
        )

    def test_batch_predictions_are_consistent(self):
        self.model.eval()
        self.ensure_batch_predictions_are_consistent()

    def test_negative_label_is_excluded_from_micro_f1(self):
        metric = self.model.label_f1
        metric.reset()
        metric(["cpr:4", "false", "cpr:3"], ["cpr:4", "cpr:3", "false"])
        scores = metric.get_metric(reset=True)
        # positives: cpr:4 tp; cpr:3 fn (predicted false) and fp (predicted where gold false)
        assert scores["micro-precision"] == pytest.approx(0.5) and scores[
            "micro-recall"
        ] == pytest.approx(0.5)
        assert (
            scores["f1-cpr:4"] == 1.0
            and scores["f1-cpr:3"] == 0.0
            and scores["macro-f1"] == pytest.approx(0.5)
        )
        assert "f1-false" not in scores

    def test_span_pooling_modes(self):
        sequence = torch.arange(2 * 4 * 3, dtype=torch.float).view(2, 4, 3)
        spans = torch.tensor([[1, 2], [0, 3]])
        expected = {
            "first": sequence[[0, 1], [1, 0]],
            "max": torch.stack([sequence[0, 1:3].max(0).values, sequence[1].max(0).values]),
            "mean": torch.stack([sequence[0, 1:3].mean(0), sequence[1].mean(0)]),
        }
        for pooling, value in expected.items():
            self.model.span_pooling = pooling
            assert torch.allclose(self.model._pool(sequence, spans), value), pooling
