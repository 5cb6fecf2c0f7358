"""Purity and 1-NN accuracy on cases whose answers are known by construction."""

import numpy
import pytest

from allennlp_bioelmo.analysis.neighbour_purity import (
    chance_level,
    neighbour_purity,
    neighbour_scores,
)


def two_clusters(n=10, seed=0):
    rng = numpy.random.default_rng(seed)
    a = rng.normal(size=(n, 6)) * 0.1 + numpy.array([5, 0, 0, 0, 0, 0])
    b = rng.normal(size=(n, 6)) * 0.1 + numpy.array([0, 5, 0, 0, 0, 0])
    return numpy.vstack([a, b]), ["a"] * n + ["b"] * n


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_well_separated_clusters_are_pure(metric):
    vectors, labels = two_clusters()
    scores = neighbour_scores(vectors, labels, k=5, metric=metric)
    assert scores["purity"] == 1.0 and scores["nn1_accuracy"] == 1.0
    assert scores["chance"] == pytest.approx(9 / 19)  # 9 of the 19 others share the label
    assert scores["labelled"] == 20 and scores["labels"] == {"a": 10, "b": 10}


def test_interleaved_points_on_a_line():
    # a b a b ... at 0, 1, ..., 9: every nearest neighbour has the other label; at k = 2 only
    # the two end points have one same-label neighbour (at distance 2)
    vectors = numpy.arange(10, dtype=float)[:, None]
    labels = ["a", "b"] * 5
    assert neighbour_purity(vectors, labels, 1, "euclidean") == 0.0
    assert neighbour_purity(vectors, labels, 2, "euclidean") == pytest.approx(2 * 0.5 / 10)


def test_ties_count_fractionally_so_identical_vectors_score_chance():
    vectors = numpy.ones((9, 4))
    labels = ["a"] * 6 + ["b"] * 3
    expected = (6 * 5 + 3 * 2) / (9 * 8)
    assert chance_level(labels) == pytest.approx(expected)
    for k in (1, 5):
        assert neighbour_purity(vectors, labels, k) == pytest.approx(expected)
    # the order of the points does not matter
    order = [8, 3, 0, 5, 1, 7, 2, 6, 4]
    assert neighbour_purity(vectors[order], [labels[i] for i in order], 5) == pytest.approx(
        expected
    )


def test_a_tie_at_the_kth_place_is_shared():
    # point 0 has one same-label neighbour at distance 1, then two points tied at distance 2
    # (one of each label) competing for its last place at k = 2: 1 + 1/2 of 2 places
    vectors = numpy.array([[0.0], [1.0], [2.0], [-2.0]])
    labels = ["a", "a", "a", "b"]
    distances_purity = neighbour_purity(vectors, labels, 2, "euclidean")
    # points 1 and 2: both neighbours "a" (1 is closest to 0 and 2; 2 to 1 and 0)
    # point 3 ("b"): neighbours 0 and 1 are "a" -> 0
    assert distances_purity == pytest.approx((0.75 + 1.0 + 1.0 + 0.0) / 4)


def test_cosine_ignores_length():
    vectors, labels = two_clusters()
    scaled = vectors * numpy.linspace(0.5, 3.0, len(vectors))[:, None]
    assert neighbour_scores(scaled, labels)["purity"] == neighbour_scores(vectors, labels)["purity"]


def test_unlabelled_vectors_take_no_part():
    vectors, labels = two_clusters()
    # unlabelled points right on top of cluster "a" would spoil "b"'s neighbourhoods if counted
    extra = numpy.repeat(vectors[10:11], 5, axis=0)
    scores = neighbour_scores(numpy.vstack([vectors, extra]), labels + [None] * 5)
    assert scores["purity"] == 1.0 and scores["labelled"] == 20


def test_fewer_than_two_labels_is_skipped_with_a_reason():
    vectors, _ = two_clusters()
    scores = neighbour_scores(vectors, ["a"] * 20)
    assert "purity" not in scores
    assert scores["skipped"] == "1 label among the labelled occurrences: purity needs at least two"
    assert "0 labels" in neighbour_scores(vectors, [None] * 20)["skipped"]


def test_k_is_capped_by_the_points():
    vectors, labels = two_clusters(n=2)
    assert neighbour_scores(vectors, labels, k=5)["k"] == 3
