"""
The `label_f1` metric: micro and macro F1 over the positive labels, for relation extraction;
and the summing of counts over distributed workers that both metrics use.
"""

from collections import Counter
from typing import Dict, List, Optional, Sequence

import torch.distributed as dist
from allennlp.common.util import is_distributed
from allennlp.training.metrics.metric import Metric


@Metric.register("label_f1")
class LabelF1(Metric):
    """
    Classification F1 as relation-extraction papers report it: micro precision/recall/F1 over the
    positive labels (every label except `negative_label`: predicting the negative label is
    "no relation", ChemProt/DDI convention), macro F1 over the positive labels, and F1 per label.
    Counts are summed over workers in distributed training.

    Registered as a `Metric` with name "label_f1".

    # Parameters

    negative_label : `str`, optional (default = `None`)
        The "no relation" label; `None` counts every label as positive.
    """

    def __init__(self, negative_label: Optional[str] = None) -> None:
        self._negative_label = negative_label
        self.reset()

    def __call__(self, predicted: Sequence[str], gold: Sequence[str]) -> None:  # type: ignore
        for prediction, truth in zip(predicted, gold):
            self._labels.update([truth, prediction])
            if prediction == truth:
                self._true_positives[truth] += 1
            else:
                self._false_positives[prediction] += 1
                self._false_negatives[truth] += 1

    def get_metric(self, reset: bool = False) -> Dict[str, float]:
        true_positives, false_positives, false_negatives, labels = sum_over_workers(
            [self._true_positives, self._false_positives, self._false_negatives, self._labels]
        )
        positive = sorted(label for label in labels if label != self._negative_label)
        metrics: Dict[str, float] = {}
        f1s = []
        for label in positive:
            f1 = _prf(true_positives[label], false_positives[label], false_negatives[label])[2]
            metrics[f"f1-{label}"] = f1
            f1s.append(f1)
        precision, recall, f1 = _prf(
            sum(true_positives[label] for label in positive),
            sum(false_positives[label] for label in positive),
            sum(false_negatives[label] for label in positive),
        )
        metrics.update(
            {
                "micro-precision": precision,
                "micro-recall": recall,
                "micro-f1": f1,
                "macro-f1": sum(f1s) / len(f1s) if f1s else 0.0,
            }
        )
        if reset:
            self.reset()
        return metrics

    def reset(self) -> None:
        self._true_positives: Counter = Counter()
        self._false_positives: Counter = Counter()
        self._false_negatives: Counter = Counter()
        self._labels: Counter = Counter()


def sum_over_workers(counters: List[Counter]) -> List[Counter]:
    """The counters summed over all workers in distributed training (as they are otherwise)."""
    if not is_distributed():
        return counters
    gathered: List[List[Counter]] = [None] * dist.get_world_size()  # type: ignore
    dist.all_gather_object(gathered, counters)
    return [sum((worker[k] for worker in gathered), Counter()) for k in range(len(counters))]


def _prf(true_positives: int, false_positives: int, false_negatives: int):
    precision = (
        true_positives / (true_positives + false_positives)
        if true_positives + false_positives
        else 0.0
    )
    recall = (
        true_positives / (true_positives + false_negatives)
        if true_positives + false_negatives
        else 0.0
    )
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
