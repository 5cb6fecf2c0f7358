"""
The `bio_relation_classifier` model: the relation between a head and a tail entity, from their
pooled spans, scored by micro/macro F1 over the positive labels, and per document when the
instances carry their documents (`bio_document_relation`).
"""

from typing import Any, Dict, List, Optional

import torch
from allennlp.common.checks import ConfigurationError
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.models.model import Model
from allennlp.modules import FeedForward, Seq2SeqEncoder, TextFieldEmbedder
from allennlp.nn import InitializerApplicator, util
from allennlp.training.metrics import CategoricalAccuracy

from allennlp_bioelmo.models.model_utils import (
    add_labels_and_probabilities,
    embed_and_encode,
    encoded_dim,
    feedforward_output_dim,
)
from allennlp_bioelmo.training.metrics.document_relation_f1 import DocumentRelationF1
from allennlp_bioelmo.training.metrics.label_f1 import LabelF1

SPAN_POOLINGS = ("first", "max", "mean")
COMBINATIONS = ("head", "tail", "product", "difference")


@Model.register("bio_relation_classifier")
class BioRelationClassifier(Model):
    """
    Relation classification between a head and a tail entity: text field embedder -> optional
    `Seq2SeqEncoder` -> one vector per entity pooled over its span (`first` token, `max` or
    `mean`) -> the chosen combination (`head`, `tail`, and optionally their elementwise `product`
    and `difference`) concatenated -> optional feedforward -> linear -> softmax.

    Metrics: micro precision/recall/F1 over the positive labels (all but `negative_label`), macro
    F1, F1 per label, accuracy. When the instances carry their documents' gold relations in their
    metadata (the `bio_document_relation` reader's), also the document-level relation scores of
    `document_relation_f1` (what the BC5CDR CID task reports): `document-precision`,
    `document-recall`, `document-f1`, and `_document-f1-<type>` per relation type.

    Registered as a `Model` with name "bio_relation_classifier".

    # Parameters

    vocab : `Vocabulary`
    text_field_embedder : `TextFieldEmbedder`
    encoder : `Seq2SeqEncoder`, optional (default = `None`)
    span_pooling : `str`, optional (default = `"max"`)
    combination : `List[str]`, optional (default = `["head", "tail"]`)
    feedforward : `FeedForward`, optional (default = `None`)
    dropout : `float`, optional (default = `0.0`)
    label_namespace : `str`, optional (default = `"labels"`)
    negative_label : `str`, optional (default = `None`)
        The "no relation" label, left out of micro/macro F1 (e.g. `"false"` for BLUE ChemProt).
    initializer : `InitializerApplicator`, optional
    """

    default_predictor = "bio_relation"

    def __init__(
        self,
        vocab: Vocabulary,
        text_field_embedder: TextFieldEmbedder,
        encoder: Optional[Seq2SeqEncoder] = None,
        span_pooling: str = "max",
        combination: Optional[List[str]] = None,
        feedforward: Optional[FeedForward] = None,
        dropout: float = 0.0,
        label_namespace: str = "labels",
        negative_label: Optional[str] = None,
        initializer: InitializerApplicator = InitializerApplicator(),
        **kwargs,
    ) -> None:
        super().__init__(vocab, **kwargs)
        combination = combination or ["head", "tail"]
        if span_pooling not in SPAN_POOLINGS:
            raise ConfigurationError(
                f"span_pooling must be one of {SPAN_POOLINGS}, got {span_pooling!r}"
            )
        if not combination or any(part not in COMBINATIONS for part in combination):
            raise ConfigurationError(
                f"combination must be a non-empty list of {COMBINATIONS}, got {combination}"
            )
        self.text_field_embedder = text_field_embedder
        self.encoder = encoder
        self.span_pooling = span_pooling
        self.combination = list(combination)
        self.feedforward = feedforward
        self.dropout = torch.nn.Dropout(dropout)
        self.label_namespace = label_namespace
        width = encoded_dim(text_field_embedder, encoder) * len(self.combination)
        width = feedforward_output_dim(
            width, feedforward, f"combined {'/'.join(self.combination)} dim"
        )
        self.num_labels = vocab.get_vocab_size(label_namespace)
        self.classifier = torch.nn.Linear(width, self.num_labels)
        self.label_f1 = LabelF1(negative_label)
        self.document_f1 = DocumentRelationF1(negative_label)
        self._document_metrics = False  # set once instances with document metadata are seen
        self.accuracy = CategoricalAccuracy()
        initializer(self)

    def _pool(self, sequence: torch.Tensor, spans: torch.Tensor) -> torch.Tensor:
        """`(batch, length, dim)` and `(batch, 2)` inclusive spans -> `(batch, dim)`."""
        span_vectors, span_mask = util.batched_span_select(sequence, spans.unsqueeze(1))
        span_vectors, span_mask = span_vectors.squeeze(1), span_mask.squeeze(
            1
        )  # (batch, width, dim)
        if self.span_pooling == "first":
            return span_vectors[:, 0]
        if self.span_pooling == "max":
            return util.masked_max(span_vectors, span_mask.unsqueeze(-1), dim=1)
        return util.masked_mean(span_vectors, span_mask.unsqueeze(-1), dim=1)

    def forward(  # type: ignore
        self,
        tokens: TextFieldTensors,
        head: torch.LongTensor,
        tail: torch.LongTensor,
        label: Optional[torch.LongTensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
    ) -> Dict[str, torch.Tensor]:
        """
        # Parameters

        tokens : `TextFieldTensors`
            The sentence, indexed for the embedder.
        head, tail : `torch.LongTensor`
            `(batch, 2)` inclusive token spans of the two entities.
        label : `torch.LongTensor`, optional
            Gold label ids `(batch,)`; with them the loss and metrics are computed.
        metadata : `List[Dict[str, Any]]`, optional
            Not used to predict; with `document_id`, `relation_arguments` and `gold_relations`
            (`bio_document_relation`), the document-level metrics are computed from it.

        # Returns

        `logits` and `probs` `(batch, num_labels)`, and `loss` (mean cross-entropy) with labels;
        `make_output_human_readable` adds `label` and `class_probabilities`.
        """
        encoded, _ = embed_and_encode(self.text_field_embedder, self.encoder, tokens)
        head_vector, tail_vector = self._pool(encoded, head), self._pool(encoded, tail)
        parts = {
            "head": head_vector,
            "tail": tail_vector,
            "product": head_vector * tail_vector,
            "difference": head_vector - tail_vector,
        }
        features = self.dropout(torch.cat([parts[name] for name in self.combination], dim=-1))
        if self.feedforward is not None:
            features = self.feedforward(features)
        logits = self.classifier(features)
        output = {"logits": logits, "probs": torch.softmax(logits, dim=-1)}
        if label is not None:
            output["loss"] = torch.nn.functional.cross_entropy(logits, label.long().view(-1))
            self.accuracy(logits, label)
            predicted = [self._label(i) for i in logits.argmax(-1).tolist()]
            self.label_f1(predicted, [self._label(i) for i in label.view(-1).tolist()])
            if metadata and all("gold_relations" in item for item in metadata):
                self._document_metrics = True
                self.document_f1(predicted, metadata)
        return output

    def _label(self, index: int) -> str:
        return self.vocab.get_token_from_index(int(index), namespace=self.label_namespace)

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        return add_labels_and_probabilities(output_dict, self.vocab, self.label_namespace)

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        scores = self.label_f1.get_metric(reset)
        metrics = {"accuracy": self.accuracy.get_metric(reset)}
        metrics.update(
            {name: value for name, value in scores.items() if not name.startswith("f1-")}
        )
        metrics.update(
            {f"_{name}": value for name, value in scores.items() if name.startswith("f1-")}
        )
        if self._document_metrics:
            for name, value in self.document_f1.get_metric(reset).items():
                hidden = "_" if name.startswith("f1-") else ""
                metrics[f"{hidden}document-{name}"] = value
        return metrics
