"""
The `bio_crf_tagger` model: biomedical NER with a label-scheme-constrained CRF, scored by
strict entity F1.
"""

from typing import Any, Dict, List, Optional

import torch
from allennlp.common.checks import ConfigurationError
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.data.dataset_readers.dataset_utils.span_utils import (
    bio_tags_to_spans,
    bioul_tags_to_spans,
)
from allennlp.models.model import Model
from allennlp.modules import ConditionalRandomField, FeedForward, Seq2SeqEncoder, TextFieldEmbedder
from allennlp.modules.conditional_random_field import allowed_transitions
from allennlp.nn import InitializerApplicator
from allennlp.training.metrics import CategoricalAccuracy

from allennlp_bioelmo.models.model_utils import (
    embed_and_encode,
    encoded_dim,
    feedforward_output_dim,
)
from allennlp_bioelmo.training.metrics.entity_f1 import EntityF1

LABEL_ENCODINGS = ("BIO", "BIOUL")


def tags_to_spans(tags: List[str], label_encoding: str):
    """(type, (start, end inclusive)) spans of the entities in a tag sequence."""
    to_spans = bio_tags_to_spans if label_encoding == "BIO" else bioul_tags_to_spans
    return sorted(to_spans(tags), key=lambda span: span[1])


@Model.register("bio_crf_tagger")
class BioCrfTagger(Model):
    """
    Biomedical NER: text field embedder -> optional `Seq2SeqEncoder` -> optional feedforward ->
    linear layer to tag scores -> CRF whose transitions are constrained to the label scheme.
    Without an encoder this is the BioELMo paper's probing setup (no extra sequence modelling).

    Metrics: strict entity-level precision, recall and F1 (conlleval semantics), overall and per
    entity type, and token accuracy.

    Registered as a `Model` with name "bio_crf_tagger".

    # Parameters

    vocab : `Vocabulary`
    text_field_embedder : `TextFieldEmbedder`
    encoder : `Seq2SeqEncoder`, optional (default = `None`)
        E.g. a biLSTM for the fine-tuned-style baseline; `None` for probing.
    feedforward : `FeedForward`, optional (default = `None`)
        Applied per token before the tag projection (the paper's MLP probe).
    label_namespace : `str`, optional (default = `"labels"`)
    label_encoding : `str`, optional (default = `"BIO"`)
        `"BIO"` or `"BIOUL"`: constrains CRF transitions and decodes spans for the metrics.
    dropout : `float`, optional (default = `0.0`)
        Dropout before the tag projection.
    include_start_end_transitions : `bool`, optional (default = `True`)
    initializer : `InitializerApplicator`, optional
    """

    default_predictor = "bio_ner"

    def __init__(
        self,
        vocab: Vocabulary,
        text_field_embedder: TextFieldEmbedder,
        encoder: Optional[Seq2SeqEncoder] = None,
        feedforward: Optional[FeedForward] = None,
        label_namespace: str = "labels",
        label_encoding: str = "BIO",
        dropout: float = 0.0,
        include_start_end_transitions: bool = True,
        initializer: InitializerApplicator = InitializerApplicator(),
        **kwargs,
    ) -> None:
        super().__init__(vocab, **kwargs)
        if label_encoding not in LABEL_ENCODINGS:
            raise ConfigurationError(
                f"label_encoding must be one of {LABEL_ENCODINGS}, got {label_encoding!r}"
            )
        self.label_namespace = label_namespace
        self.label_encoding = label_encoding
        self.text_field_embedder = text_field_embedder
        self.encoder = encoder
        self.feedforward = feedforward
        self.num_tags = vocab.get_vocab_size(label_namespace)
        if self.num_tags == 0:
            raise ConfigurationError(
                f"the vocabulary has no labels in namespace {label_namespace!r}"
            )
        width = feedforward_output_dim(
            encoded_dim(text_field_embedder, encoder), feedforward, "encoded token dim"
        )
        self.dropout = torch.nn.Dropout(dropout)
        self.tag_projection = torch.nn.Linear(width, self.num_tags)
        labels = vocab.get_index_to_token_vocabulary(label_namespace)
        self.crf = ConditionalRandomField(
            self.num_tags,
            allowed_transitions(label_encoding, labels),
            include_start_end_transitions=include_start_end_transitions,
        )
        self.entity_f1 = EntityF1()
        self.accuracy = CategoricalAccuracy()
        initializer(self)

    def forward(  # type: ignore
        self,
        tokens: TextFieldTensors,
        tags: Optional[torch.LongTensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
        **kwargs,
    ) -> Dict[str, torch.Tensor]:
        """
        # Parameters

        tokens : `TextFieldTensors`
            The sentence, indexed for the embedder.
        tags : `torch.LongTensor`, optional
            Gold tag ids `(batch, length)`; with them the loss and metrics are computed.
        metadata : `List[Dict[str, Any]]`, optional
            Per sentence, `words` (the tokens), passed through to the output.

        # Returns

        `logits` `(batch, length, num_tags)`, `mask`, `tags` (the Viterbi tag ids per sentence,
        as labels after `make_output_human_readable`), `words` with metadata, and `loss` (the
        CRF's negative log-likelihood, summed over the batch) with gold tags.
        """
        encoded, mask = embed_and_encode(self.text_field_embedder, self.encoder, tokens)
        if self.feedforward is not None:
            encoded = self.feedforward(encoded)
        logits = self.tag_projection(self.dropout(encoded))
        best_paths = self.crf.viterbi_tags(logits, mask)
        predicted = [path for path, _ in best_paths]
        output: Dict[str, Any] = {"logits": logits, "mask": mask, "tags": predicted}
        if metadata is not None:
            output["words"] = [m["words"] for m in metadata]
        if tags is not None:
            output["loss"] = -self.crf(logits, tags, mask)
            # one-hot "probabilities" of the Viterbi path, as CategoricalAccuracy expects scores
            class_scores = torch.zeros_like(logits)
            for row, path in enumerate(predicted):
                class_scores[row, torch.arange(len(path)), torch.tensor(path, dtype=torch.long)] = 1
            self.accuracy(class_scores, tags, mask)
            lengths = mask.sum(dim=1).tolist()
            gold = [row[:length] for row, length in zip(tags.tolist(), lengths)]
            self.entity_f1(
                [tags_to_spans(self._labels(path), self.label_encoding) for path in predicted],
                [tags_to_spans(self._labels(path), self.label_encoding) for path in gold],
            )
        return output

    def _labels(self, path: List[int]) -> List[str]:
        return [
            self.vocab.get_token_from_index(int(tag), namespace=self.label_namespace)
            for tag in path
        ]

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        output_dict["tags"] = [self._labels(path) for path in output_dict["tags"]]
        output_dict["spans"] = [
            tags_to_spans(tags, self.label_encoding) for tags in output_dict["tags"]
        ]
        return output_dict

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        spans = self.entity_f1.get_metric(reset=reset)
        metrics = {"accuracy": self.accuracy.get_metric(reset=reset)}
        metrics.update({name: value for name, value in spans.items() if name.endswith("-overall")})
        metrics.update(
            {f"_{name}": value for name, value in spans.items() if not name.endswith("-overall")}
        )
        return metrics
