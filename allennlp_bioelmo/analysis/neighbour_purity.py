"""
How well a layer's vectors group occurrences by label, the measure of Jin et al. (2019):

* **nearest-neighbour purity at k** (k = 5): for each labelled vector, the share of its k nearest
  other labelled vectors that have its label, averaged over the vectors;
* **1-NN accuracy**, leave-one-out: the share of labelled vectors whose nearest other labelled
  vector has their label;
* **chance**: what both are expected to be when neighbours are drawn at random, the mean over
  vectors of (vectors with its label - 1) / (vectors - 1).

Distances are cosine distances (1 - cosine similarity; `metric="euclidean"` for Euclidean).
Ties count fractionally: neighbours at the same distance as the k-th share the remaining places
in proportion, which is the expectation over every way of breaking the tie, so the score does not
depend on the order of the points. (The char-CNN layer gives every occurrence of a one-token term
the same vector: all its distances tie, and its scores are exactly chance.) Unlabelled vectors
take no part. With fewer than two labels there is nothing to separate: `neighbour_scores` then
returns the reason instead of scores.
"""

from collections import Counter
from typing import Dict, List, Optional, Sequence, Union

import numpy

METRICS = ("cosine", "euclidean")
# Distances within this much (relative to the k-th distance, plus this much absolute) are ties.
TIE_TOLERANCE = 1e-6


def pairwise_distances(
    vectors: numpy.ndarray, rows: slice, metric: str = "cosine"
) -> numpy.ndarray:
    """Distances from `vectors[rows]` to every vector, `(rows, n)`, in float64."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, not {metric!r}")
    vectors = numpy.asarray(vectors, dtype=numpy.float64)
    if metric == "cosine":
        norms = numpy.linalg.norm(vectors, axis=1, keepdims=True)
        unit = vectors / numpy.where(norms > 0, norms, 1.0)
        return numpy.clip(1.0 - unit[rows] @ unit.T, 0.0, 2.0)
    squared = (vectors**2).sum(axis=1)
    distances = squared[rows, None] + squared[None, :] - 2.0 * vectors[rows] @ vectors.T
    return numpy.sqrt(numpy.maximum(distances, 0.0))


def chance_level(labels: Sequence[str]) -> float:
    """The expected purity / 1-NN accuracy of random neighbours (see the module docstring)."""
    counts = Counter(labels)
    n = len(labels)
    return float(sum(c * (c - 1) for c in counts.values()) / (n * (n - 1)))


def neighbour_purity(
    vectors: numpy.ndarray,
    labels: Sequence[str],
    k: int = 5,
    metric: str = "cosine",
    chunk_size: int = 512,
) -> float:
    """Nearest-neighbour purity at `k` of labelled vectors (all rows labelled), ties shared."""
    n = len(labels)
    if n < 2:
        raise ValueError("purity needs at least two vectors")
    k = min(k, n - 1)
    codes = numpy.unique(numpy.asarray(labels), return_inverse=True)[1]
    total = 0.0
    for first in range(0, n, chunk_size):
        rows = slice(first, min(n, first + chunk_size))
        distances = pairwise_distances(vectors, rows, metric)
        for row, own in enumerate(range(rows.start, rows.stop)):
            d = distances[row]
            d[own] = numpy.inf  # not its own neighbour
            kth = numpy.partition(d, k - 1)[k - 1]
            tolerance = TIE_TOLERANCE * (1.0 + abs(kth))
            closer = d < kth - tolerance
            tied = numpy.abs(d - kth) <= tolerance
            same = codes == codes[own]
            places = k - int(closer.sum())
            share = (same & tied).sum() / tied.sum()
            total += (int((same & closer).sum()) + places * share) / k
    return float(total / n)


def neighbour_scores(
    vectors: numpy.ndarray,
    labels: Sequence[Optional[str]],
    k: int = 5,
    metric: str = "cosine",
) -> Dict[str, Union[float, int, str, Dict[str, int]]]:
    """
    Purity at `k` ("purity"), 1-NN accuracy and chance over the labelled rows of `vectors`
    (`labels` None for unlabelled rows), with the counts; `{"skipped": reason, ...}` when fewer
    than two labels are there to compare.
    """
    keep = [i for i, label in enumerate(labels) if label is not None]
    kept_labels: List[str] = [labels[i] for i in keep]  # type: ignore[misc]
    counts = Counter(kept_labels)
    result: Dict[str, Union[float, int, str, Dict[str, int]]] = {
        "labelled": len(keep),
        "labels": dict(counts.most_common()),
        "k": k,
        "metric": metric,
    }
    if len(counts) < 2:
        result["skipped"] = (
            f"{len(counts)} label{'' if len(counts) == 1 else 's'} among the labelled "
            "occurrences: purity needs at least two"
        )
        return result
    subset = numpy.asarray(vectors)[keep]
    result["k"] = min(k, len(keep) - 1)
    result["purity"] = neighbour_purity(subset, kept_labels, k, metric)
    result["nn1_accuracy"] = neighbour_purity(subset, kept_labels, 1, metric)
    result["chance"] = chance_level(kept_labels)
    return result
