"""
The `bio_nli_classifier` model: premise/hypothesis inference (MedNLI), pooled or with the
BioELMo paper's bilinear probe.
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

PAIR_SCORERS = ("pooled", "bilinear")


@Model.register("bio_nli_classifier")
class BioNliClassifier(Model):
    """
    Natural language inference (MedNLI-style premise/hypothesis pairs) in the probing spirit: no
    sequence encoder unless one is given.

    * `pair_scorer="pooled"`: each sentence max- and mean-pooled, combined as
      `[p, h, |p - h|, p * h]`, optional feedforward, linear layer to the labels;
    * `pair_scorer="bilinear"`: the BioELMo paper's NLI probe: `num_bilinear_maps` bilinear maps
      score every premise-token/hypothesis-token pair, each map's scores are max-pooled over all
      pairs, and a linear layer maps the pooled scores to the labels.

    Registered as a `Model` with name "bio_nli_classifier".

    # Parameters

    vocab : `Vocabulary`
    text_field_embedder : `TextFieldEmbedder`
        Embeds both sentences (shared).
    encoder : `Seq2SeqEncoder`, optional (default = `None`)
        Shared by both sentences.
    pair_scorer : `str`, optional (default = `"pooled"`)
    num_bilinear_maps : `int`, optional (default = `16`)
    feedforward : `FeedForward`, optional (default = `None`)
        `"pooled"` only.
    dropout : `float`, optional (default = `0.0`)
    label_namespace : `str`, optional (default = `"labels"`)
    initializer : `InitializerApplicator`, optional
    """

    default_predictor = "bio_nli"

    def __init__(
        self,
        vocab: Vocabulary,
        text_field_embedder: TextFieldEmbedder,
        encoder: Optional[Seq2SeqEncoder] = None,
        pair_scorer: str = "pooled",
        num_bilinear_maps: int = 16,
        feedforward: Optional[FeedForward] = None,
        dropout: float = 0.0,
        label_namespace: str = "labels",
        initializer: InitializerApplicator = InitializerApplicator(),
        **kwargs,
    ) -> None:
        super().__init__(vocab, **kwargs)
        if pair_scorer not in PAIR_SCORERS:
            raise ConfigurationError(
                f"pair_scorer must be one of {PAIR_SCORERS}, got {pair_scorer!r}"
            )
        if pair_scorer == "bilinear" and feedforward is not None:
            raise ConfigurationError("feedforward applies to pair_scorer 'pooled' only")
        self.text_field_embedder = text_field_embedder
        self.encoder = encoder
        self.pair_scorer = pair_scorer
        self.feedforward = feedforward
        self.dropout = torch.nn.Dropout(dropout)
        self.label_namespace = label_namespace
        dim = encoded_dim(text_field_embedder, encoder)
        if pair_scorer == "bilinear":
            self.bilinear = torch.nn.Parameter(torch.empty(num_bilinear_maps, dim, dim))
            torch.nn.init.xavier_uniform_(self.bilinear)
            width = num_bilinear_maps
        else:
            width = feedforward_output_dim(
                8 * dim, feedforward, "pooled pair features dim (8 x token dim)"
            )
        self.classifier = torch.nn.Linear(width, vocab.get_vocab_size(label_namespace))
        self.accuracy = CategoricalAccuracy()
        initializer(self)

    def _encode(self, tokens: TextFieldTensors):
        encoded, mask = embed_and_encode(self.text_field_embedder, self.encoder, tokens)
        return self.dropout(encoded), mask

    def forward(  # type: ignore
        self,
        premise: TextFieldTensors,
        hypothesis: TextFieldTensors,
        label: Optional[torch.LongTensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
    ) -> Dict[str, torch.Tensor]:
        """
        # Parameters

        premise, hypothesis : `TextFieldTensors`
            The two sentences, indexed for the (shared) embedder.
        label : `torch.LongTensor`, optional
            Gold label ids `(batch,)`; with them the loss and accuracy are computed.
        metadata : `List[Dict[str, Any]]`, optional
            Unused by the model; kept for the predictor.

        # Returns

        `logits` and `probs` `(batch, num_labels)`, and `loss` (mean cross-entropy) with labels;
        `make_output_human_readable` adds `label` and `class_probabilities`.
        """
        premise_vectors, premise_mask = self._encode(premise)
        hypothesis_vectors, hypothesis_mask = self._encode(hypothesis)
        if self.pair_scorer == "bilinear":
            # (batch, maps, premise tokens, hypothesis tokens)
            scores = torch.einsum(
                "bid,kde,bje->bkij", premise_vectors, self.bilinear, hypothesis_vectors
            )
            pair_mask = (premise_mask.unsqueeze(2) & hypothesis_mask.unsqueeze(1)).unsqueeze(1)
            features = util.masked_max(
                scores.flatten(2), pair_mask.expand_as(scores).flatten(2), dim=-1
            )
        else:
            pooled = []
            for vectors, mask in (
                (premise_vectors, premise_mask),
                (hypothesis_vectors, hypothesis_mask),
            ):
                expanded = mask.unsqueeze(-1)
                pooled.append(
                    torch.cat(
                        [
                            util.masked_max(vectors, expanded, dim=1),
                            util.masked_mean(vectors, expanded, dim=1),
                        ],
                        dim=-1,
                    )
                )
            p, h = pooled
            features = torch.cat([p, h, (p - h).abs(), p * h], dim=-1)
            if self.feedforward is not None:
                features = self.feedforward(features)
        logits = self.classifier(features)
        output = {"logits": logits, "probs": torch.softmax(logits, dim=-1)}
        if label is not None:
            output["loss"] = torch.nn.functional.cross_entropy(logits, label.long().view(-1))
            self.accuracy(logits, label)
        return output

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        return add_labels_and_probabilities(output_dict, self.vocab, self.label_namespace)

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        return {"accuracy": self.accuracy.get_metric(reset)}
