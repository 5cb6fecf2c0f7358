"""The `entity_f1` metric: strict entity-level precision, recall and F1, for NER."""

from collections import Counter
from typing import Dict, Sequence, Tuple

from allennlp.training.metrics.metric import Metric

from allennlp_bioelmo.training.metrics.label_f1 import _prf, sum_over_workers

Span = Tuple[str, Tuple[int, int]]


@Metric.register("entity_f1")
class EntityF1(Metric):
    """
    Strict entity-level precision, recall and F1 (conlleval semantics: an entity counts only if
    its type and both boundaries match), overall and per entity type. Works in distributed
    training (counts are summed over workers), unlike AllenNLP's `SpanBasedF1Measure`.

    Registered as a `Metric` with name "entity_f1".

    Call with lists of predicted and gold spans per sentence, as `(type, (start, end))`.
    """

    def __init__(self) -> None:
        self._true_positives: Counter = Counter()
        self._false_positives: Counter = Counter()
        self._false_negatives: Counter = Counter()

    def __call__(  # type: ignore
        self, predicted: Sequence[Sequence[Span]], gold: Sequence[Sequence[Span]]
    ) -> None:
        for predicted_spans, gold_spans in zip(predicted, gold):
            predicted_set, gold_set = set(predicted_spans), set(gold_spans)
            for entity_type, _ in predicted_set & gold_set:
                self._true_positives[entity_type] += 1
            for entity_type, _ in predicted_set - gold_set:
                self._false_positives[entity_type] += 1
            for entity_type, _ in gold_set - predicted_set:
                self._false_negatives[entity_type] += 1

    def get_metric(self, reset: bool = False) -> Dict[str, float]:
        true_positives, false_positives, false_negatives = sum_over_workers(
            [self._true_positives, self._false_positives, self._false_negatives]
        )
        metrics: Dict[str, float] = {}
        types = sorted(set(true_positives) | set(false_positives) | set(false_negatives))
        for entity_type in types:
            precision, recall, f1 = _prf(
                true_positives[entity_type],
                false_positives[entity_type],
                false_negatives[entity_type],
            )
            metrics[f"precision-{entity_type}"] = precision
            metrics[f"recall-{entity_type}"] = recall
            metrics[f"f1-measure-{entity_type}"] = f1
        precision, recall, f1 = _prf(
            sum(true_positives.values()),
            sum(false_positives.values()),
            sum(false_negatives.values()),
        )
        metrics.update(
            {"precision-overall": precision, "recall-overall": recall, "f1-measure-overall": f1}
        )
        if reset:
            self.reset()
        return metrics

    def reset(self) -> None:
        self._true_positives = Counter()
        self._false_positives = Counter()
        self._false_negatives = Counter()
