"""Projections are seeded (a rerun draws the same picture); the PNG and the HTML page."""

import numpy
import pytest

from allennlp_bioelmo.analysis.sense_plots import (
    Projection,
    draw_png,
    label_colours,
    pca,
    tsne,
    write_html,
)


def points(n=40, seed=0):
    rng = numpy.random.default_rng(seed)
    return rng.normal(size=(n, 64)).astype(numpy.float32)


def test_tsne_rerun_is_identical():
    vectors = points()
    first = tsne(vectors, seed=0).coordinates
    assert first.shape == (40, 2)
    assert numpy.array_equal(first, tsne(vectors, seed=0).coordinates)


def test_pca_is_deterministic_and_reports_its_variance():
    vectors = points()
    projection = pca(vectors)
    assert numpy.array_equal(projection.coordinates, pca(vectors).coordinates)
    assert projection.note.startswith("PC1 ")


def test_identical_vectors_and_too_few_points_get_a_note_instead():
    same = numpy.ones((12, 8), dtype=numpy.float32)
    assert pca(same).coordinates is None and "all 12 vectors are identical" in pca(same).note
    assert tsne(same).coordinates is None
    assert tsne(points(3)).note == "3 points: too few for t-SNE"


def test_colours_follow_frequency_and_run_out_into_other():
    labels = ["b", "a", "a", None] + [f"x{i}" for i in range(25)]
    colours = label_colours(labels)
    assert list(colours)[:2] == ["a", "b"]
    assert len(set(colours.values())) == 20  # 19 colours + the shared "other" colour


def test_png_and_html_are_written(tmp_path):
    vectors = points(20)
    labels = ["a"] * 8 + ["b"] * 8 + [None] * 4
    projections = {
        "PCA": [pca(vectors), Projection(None, "all vectors identical")],
        "t-SNE": [tsne(vectors), tsne(vectors)],
    }
    png = tmp_path / "senses.png"
    draw_png(str(png), ["layer 0", "layer 1"], projections, labels, "title", ["note", ""])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = tmp_path / "senses.html"
    hover = [f"sentence <{i}> & more" for i in range(20)]
    write_html(
        str(page),
        ["layer 0", "layer 1"],
        projections["PCA"],
        labels,
        hover,
        "title",
        [["layer 0", "1.000"]],
        ["layer", "purity"],
    )
    html = page.read_text()
    assert html.count("<circle") == 20  # layer 1 has no projection
    assert "<title>sentence &lt;3&gt; &amp; more</title>" in html
    assert ">no projection:</tspan>" in html and ">all vectors identical</tspan>" in html
    assert "http" not in html and "<script" not in html  # self-contained, no network


@pytest.mark.parametrize("n", [1, 2])
def test_one_or_two_points_do_not_fail(n):
    assert pca(points(n)).coordinates is None or pca(points(n)).coordinates.shape == (n, 2)
    assert tsne(points(n)).coordinates is None
