"""
The `document_relation_f1` metric: relation extraction scored per document, as the BioCreative V
CDR chemical-induced-disease task scores it, from instance predictions that carry their document.
"""

from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

import torch.distributed as dist
from allennlp.common.util import is_distributed
from allennlp.training.metrics.metric import Metric

from allennlp_bioelmo.training.metrics.label_f1 import _prf

# (document id, relation type, head, tail): head and tail are concept identifiers (or mention ids)
RelationKey = Tuple[str, str, str, str]


@Metric.register("document_relation_f1")
class DocumentRelationF1(Metric):
    """
    Precision, recall and F1 of the relations of documents, overall and per relation type. A
    relation is a document, a type and its two arguments (concept identifiers such as MeSH ids,
    or mention ids). It is predicted when any instance standing for it is predicted with that
    type; the gold relations are each document's whole gold set, as the instances carry it,
    including the relations no instance stands for (their arguments never share a sentence), which
    can only be missed. The sets are gathered from every worker in distributed training, so the
    result is the same however instances are spread over workers and batches.

    Call it with the predicted labels and the instances' metadata (the `bio_document_relation`
    reader's): `document_id`; `relation_arguments`, the `[head, tail]` pairs the instance stands
    for (several for a composite mention); `gold_relations`, `{document id: [[type, head, tail],
    ...]}`; optionally `negative_label`, which overrides the metric's.

    Registered as a `Metric` with name "document_relation_f1".

    # Parameters

    negative_label : `str`, optional (default = `None`)
        The "no relation" label: predictions of it predict nothing.
    """

    def __init__(self, negative_label: Optional[str] = None) -> None:
        self._negative_label = negative_label
        self.reset()

    def __call__(  # type: ignore
        self, predicted_labels: Sequence[str], metadata: Sequence[Mapping[str, Any]]
    ) -> None:
        for label, item in zip(predicted_labels, metadata):
            for document_id, keys in item.get("gold_relations", {}).items():
                self._gold.update((str(document_id), *map(str, key)) for key in keys)
            if label == item.get("negative_label", self._negative_label):
                continue
            document_id = str(item["document_id"])
            for head, tail in item.get("relation_arguments", []):
                self._predicted.add((document_id, str(label), str(head), str(tail)))

    def get_metric(self, reset: bool = False) -> Dict[str, float]:
        predicted, gold = union_over_workers([self._predicted, self._gold])
        metrics: Dict[str, float] = {}
        for relation_type in sorted({key[1] for key in predicted | gold}):
            metrics[f"f1-{relation_type}"] = _scores(
                {key for key in predicted if key[1] == relation_type},
                {key for key in gold if key[1] == relation_type},
            )[2]
        precision, recall, f1 = _scores(predicted, gold)
        metrics.update({"precision": precision, "recall": recall, "f1": f1})
        if reset:
            self.reset()
        return metrics

    def reset(self) -> None:
        self._predicted: Set[RelationKey] = set()
        self._gold: Set[RelationKey] = set()


def _scores(predicted: Set[RelationKey], gold: Set[RelationKey]) -> Tuple[float, float, float]:
    true_positives = len(predicted & gold)
    return _prf(true_positives, len(predicted) - true_positives, len(gold) - true_positives)


def union_over_workers(sets: List[Set]) -> List[Set]:
    """The sets united over all workers in distributed training (as they are otherwise)."""
    if not is_distributed():
        return sets
    gathered: List[List[Set]] = [None] * dist.get_world_size()  # type: ignore
    dist.all_gather_object(gathered, sets)
    return [set().union(*(worker[k] for worker in gathered)) for k in range(len(sets))]
