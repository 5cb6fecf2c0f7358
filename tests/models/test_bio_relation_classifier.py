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


class TestDocumentRelationClassifier(ModelTestCase):
    """The classifier on `bio_document_relation` instances (BC5CDR CID): document-level metrics."""

    def setup_method(self):
        super().setup_method()
        self.set_up_model(
            os.path.join(REPOSITORY_ROOT, "training_configs", "relation", "cdr_cid.jsonnet"),
            os.path.join(FIXTURES, "documents", "cdr_cid", "sample.BioC.xml"),
        )

    def test_can_train_save_and_load(self):
        overrides = NO_DROPOUT[:-1] + ', "trainer.num_epochs": 2}'
        self.ensure_model_can_train_save_and_load(
            self.param_file, overrides=overrides, tolerance=1e-4
        )

    def test_document_metrics_count_every_gold_relation_of_the_documents(self):
        from allennlp_bioelmo.training.metrics import DocumentRelationF1

        self.model.eval()
        self.model.get_metrics(reset=True)
        outputs = self.model.forward_on_instances(self.instances)
        predicted = [
            self.vocab.get_token_from_index(int(output["logits"].argmax()), "labels")
            for output in outputs
        ]
        metrics = self.model.get_metrics(reset=True)
        assert {"document-precision", "document-recall", "document-f1"} <= set(metrics)
        assert "_document-f1-CID" in metrics
        expected = DocumentRelationF1("NONE")
        expected(predicted, [instance["metadata"].metadata for instance in self.instances])
        assert metrics["document-f1"] == pytest.approx(expected.get_metric()["f1"])
        # whatever the model predicts, the two CID relations whose concepts never share a
        # sentence (documents 9003, 9005) are missed: recall is at most 7 of 9
        assert metrics["document-recall"] <= 7 / 9 + 1e-9

    def test_instances_without_documents_give_no_document_metrics(self):
        from allennlp.data import Batch

        from allennlp_bioelmo.data.dataset_readers import BioDocumentRelationDatasetReader

        fresh = type(self.model)(self.vocab, self.model.text_field_embedder, negative_label="NONE")
        reader = BioDocumentRelationDatasetReader()
        instance = reader.text_to_instance(
            ["Aspirin", "causes", "asthma"], (0, 1), (2, 3), label="NONE"
        )
        reader.apply_token_indexers(instance)
        batch = Batch([instance])
        batch.index_instances(self.vocab)
        fresh(**batch.as_tensor_dict())
        metrics = fresh.get_metrics()
        assert "micro-f1" in metrics
        assert not any(name.startswith(("document-", "_document-")) for name in metrics)

    def test_predictions_map_back_to_documents(self):
        from allennlp.predictors import Predictor

        from allennlp_bioelmo.data.dataset_readers import BioDocumentRelationDatasetReader

        reader = BioDocumentRelationDatasetReader(candidate_types=[["Chemical", "Disease"]])
        predictor = Predictor.by_name("bio_relation")(self.model, reader)
        output = predictor.predict_instance(self.instances[0])
        assert output["document"] == {
            "document_id": "9001",
            "head_mention": "0",
            "tail_mention": "1",
            "head_identifiers": ["D002945"],
            "tail_identifiers": ["D007674"],
            "relation_arguments": [["D002945", "D007674"]],
        }
        assert output["label"] in ("CID", "NONE")
