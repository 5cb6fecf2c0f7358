"""
Pictures of occurrence vectors: 2-D projections of each layer (PCA; t-SNE), a PNG with one panel
per layer and projection (rows PCA and t-SNE, columns the layers), points coloured by label with
one legend, unlabelled points grey beneath; and a self-contained HTML page (inline SVG, no script,
no network) with the PCA of each layer whose points show their label and sentence on hover.

Both projections are seeded (`seed`): PCA by a full SVD (no randomness), t-SNE by scikit-learn's
`random_state` after a PCA to at most 50 dimensions, on one thread, so a rerun draws the same
picture. A layer
whose vectors are all the same (the char-CNN layer of a one-token term) gets no projection: its
panels say so.
"""

import html
import textwrap
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy

from allennlp_bioelmo.analysis.dependencies import import_optional, matplotlib_figure

PURPOSE = "Drawing occurrence vectors"
UNLABELLED_COLOUR = "#b8b8b8"
OTHER_COLOUR = "#505050"
# matplotlib's tab10 then the lighter half of tab20: distinct and colour-blind friendlier first
PALETTE = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#aec7e8",
    "#ff9896",
    "#98df8a",
    "#ffbb78",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#9edae5",
    "#dbdb8d",
]


@dataclass
class Projection:
    """2-D coordinates of every point, or None with the reason there are none."""

    coordinates: Optional[numpy.ndarray]
    note: str = ""


def _constant(vectors: numpy.ndarray) -> bool:
    return bool(numpy.allclose(vectors, vectors[:1], rtol=0.0, atol=1e-6))


def _identical(vectors: numpy.ndarray) -> str:
    return f"all {len(vectors)} vectors are identical\n(no context in this layer)"


def pca(vectors: numpy.ndarray, seed: int = 0) -> Projection:
    """The first two principal components (full SVD: deterministic)."""
    if len(vectors) < 2 or _constant(vectors):
        return Projection(None, _identical(vectors) if len(vectors) > 1 else "one point")
    decomposition = import_optional("sklearn.decomposition", PURPOSE)
    components = min(2, vectors.shape[1], len(vectors))
    model = decomposition.PCA(n_components=components, svd_solver="full", random_state=seed)
    coordinates = model.fit_transform(numpy.asarray(vectors, dtype=numpy.float64))
    if components < 2:
        coordinates = numpy.hstack([coordinates, numpy.zeros((len(coordinates), 1))])
    ratio = model.explained_variance_ratio_
    return Projection(
        coordinates, f"PC1 {ratio[0]:.0%}, PC2 {ratio[1] if len(ratio) > 1 else 0:.0%}"
    )


def tsne(vectors: numpy.ndarray, seed: int = 0, perplexity: float = 30.0) -> Projection:
    """t-SNE (scikit-learn, `random_state=seed`), perplexity capped at (points - 1) / 3."""
    if len(vectors) < 5:
        return Projection(None, f"{len(vectors)} points: too few for t-SNE")
    if _constant(vectors):
        return Projection(None, _identical(vectors))
    manifold = import_optional("sklearn.manifold", PURPOSE)
    decomposition = import_optional("sklearn.decomposition", PURPOSE)
    data = numpy.asarray(vectors, dtype=numpy.float64)
    if data.shape[1] > 50 and len(data) > 50:
        data = decomposition.PCA(n_components=50, svd_solver="full").fit_transform(data)
    perplexity = min(perplexity, (len(data) - 1) / 3.0)
    model = manifold.TSNE(
        n_components=2, perplexity=perplexity, init="pca", random_state=seed, n_jobs=1
    )
    # one OpenMP thread: the same result on any machine, and no threads spinning in the
    # gradient's barrier on a busy one (which made 15 points take seconds)
    with import_optional("threadpoolctl", PURPOSE).threadpool_limits(1, user_api="openmp"):
        coordinates = model.fit_transform(data)
    return Projection(coordinates, f"perplexity {perplexity:.0f}")


PROJECTIONS = {"PCA": pca, "t-SNE": tsne}


def label_colours(labels: Sequence[Optional[str]], max_colours: int = len(PALETTE)) -> Dict:
    """Label -> colour, most frequent first; labels past `max_colours` share `OTHER_COLOUR`."""
    counts = Counter(label for label in labels if label is not None)
    ordered = [label for label, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {
        label: PALETTE[index] if index < max_colours else OTHER_COLOUR
        for index, label in enumerate(ordered)
    }


def _legend_entries(labels: Sequence[Optional[str]], colours: Dict) -> List[tuple]:
    counts = Counter(labels)
    entries = [
        (f"{label} ({counts[label]})", colour)
        for label, colour in colours.items()
        if colour != OTHER_COLOUR
    ]
    others = [label for label, colour in colours.items() if colour == OTHER_COLOUR]
    if others:
        entries.append(
            (f"{len(others)} other labels ({sum(counts[o] for o in others)})", OTHER_COLOUR)
        )
    if counts[None]:
        entries.append((f"unlabelled ({counts[None]})", UNLABELLED_COLOUR))
    return entries


def draw_png(
    path: str,
    layer_names: Sequence[str],
    projections: Dict[str, List[Projection]],
    labels: Sequence[Optional[str]],
    title: str,
    panel_notes: Optional[Sequence[str]] = None,
) -> None:
    """One panel per projection (rows) and layer (columns), one legend, written to `path`."""
    rows, columns = len(projections), len(layer_names)
    colours = label_colours(labels)
    entries = _legend_entries(labels, colours)
    figure = matplotlib_figure(PURPOSE, figsize=(4.2 * columns, 3.9 * rows + 1.3), dpi=110)
    axes = figure.subplots(rows, columns, squeeze=False)
    point_colours = [colours.get(label, UNLABELLED_COLOUR) for label in labels]
    labelled = numpy.array([label is not None for label in labels])
    size = 22 if len(labels) <= 500 else 10 if len(labels) <= 3000 else 4
    for row, (method, layer_projections) in enumerate(projections.items()):
        for column, projection in enumerate(layer_projections):
            axis = axes[row][column]
            axis.set_xticks([])
            axis.set_yticks([])
            if row == 0:
                note = panel_notes[column] if panel_notes else ""
                axis.set_title(
                    f"{layer_names[column]}\n{note}" if note else layer_names[column],
                    fontsize=10,
                )
            if column == 0:
                axis.set_ylabel(method, fontsize=12, fontweight="bold")
            if projection.coordinates is None:
                axis.text(
                    0.5,
                    0.5,
                    f"no {method}:\n{projection.note}",
                    ha="center",
                    va="center",
                    transform=axis.transAxes,
                    fontsize=10,
                    color="#555555",
                )
                continue
            xy = projection.coordinates
            colour_array = numpy.array(point_colours, dtype=object)
            if (~labelled).any():
                axis.scatter(
                    xy[~labelled, 0],
                    xy[~labelled, 1],
                    c=list(colour_array[~labelled]),
                    s=size,
                    alpha=0.45,
                    linewidths=0,
                )
            if labelled.any():
                axis.scatter(
                    xy[labelled, 0],
                    xy[labelled, 1],
                    c=list(colour_array[labelled]),
                    s=size * 1.4,
                    alpha=0.85,
                    linewidths=0.3,
                    edgecolors="white",
                )
            axis.set_xlabel(projection.note, fontsize=8, color="#555555")
    line_module = import_optional("matplotlib.lines", PURPOSE)
    handles = [
        line_module.Line2D(
            [], [], marker="o", linestyle="", markersize=8, markerfacecolor=colour, color=colour
        )
        for _, colour in entries
    ]
    if handles:
        figure.legend(
            handles,
            [text for text, _ in entries],
            loc="lower center",
            ncol=min(len(entries), 4),
            fontsize=10,
            frameon=False,
        )
    figure.suptitle(title, fontsize=12)
    legend_rows = (len(entries) + 3) // 4
    title_share = 0.025 * (title.count("\n") + 1)
    figure.tight_layout(rect=(0, 0.035 + 0.035 * legend_rows, 1, 1.0 - title_share))
    figure.savefig(path)


def _svg_scatter(
    projection: Projection,
    labels: Sequence[Optional[str]],
    hover: Sequence[str],
    colours: Dict,
    size: int = 360,
) -> str:
    if projection.coordinates is None:
        # SVG text does not wrap: one line (tspan) per wrapped piece, centred on the panel.
        lines = ["no projection:"] + textwrap.wrap(projection.note, 36)
        first = size / 2 - 8 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="50%" y="{first + 16 * row:.0f}">{html.escape(line)}</tspan>'
            for row, line in enumerate(lines)
        )
        return (
            f'<svg width="{size}" height="{size}" role="img"><rect width="100%" height="100%" '
            f'fill="#fafafa" stroke="#ccc"/><text text-anchor="middle" font-size="13" '
            f'fill="#555">{spans}</text></svg>'
        )
    xy = projection.coordinates
    margin = 12
    low, high = xy.min(axis=0), xy.max(axis=0)
    scale = (size - 2 * margin) / numpy.where(high - low > 0, high - low, 1.0)
    points = []
    order = sorted(range(len(labels)), key=lambda i: labels[i] is not None)  # grey first
    for i in order:
        x = margin + (xy[i, 0] - low[0]) * scale[0]
        y = size - margin - (xy[i, 1] - low[1]) * scale[1]
        colour = colours.get(labels[i], UNLABELLED_COLOUR)
        radius = 4 if labels[i] is not None else 3
        points.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" '
            f'fill-opacity="0.8"><title>{html.escape(hover[i])}</title></circle>'
        )
    return (
        f'<svg width="{size}" height="{size}" role="img"><rect width="100%" height="100%" '
        f'fill="#fff" stroke="#ccc"/>{"".join(points)}</svg>'
    )


def write_html(
    path: str,
    layer_names: Sequence[str],
    projections: Sequence[Projection],
    labels: Sequence[Optional[str]],
    hover: Sequence[str],
    title: str,
    table_rows: Sequence[Sequence[str]],
    table_header: Sequence[str],
    notes: Sequence[str] = (),
) -> None:
    """The page: title, notes, the scores table, a legend and one SVG scatter per layer."""
    colours = label_colours(labels)
    legend = "".join(
        f'<span class="key"><span class="dot" style="background:{colour}"></span>'
        f"{html.escape(text)}</span>"
        for text, colour in _legend_entries(labels, colours)
    )
    header = "".join(f"<th>{html.escape(h)}</th>" for h in table_header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in table_rows
    )
    panels = "".join(
        f"<figure><figcaption>{html.escape(name)} (PCA)</figcaption>"
        f"{_svg_scatter(projection, labels, hover, colours)}</figure>"
        for name, projection in zip(layer_names, projections)
    )
    paragraphs = "".join(f"<p>{html.escape(note)}</p>" for note in notes)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
figure {{ display: inline-block; margin: 0 1em 1em 0; }}
figcaption {{ font-weight: bold; margin-bottom: 4px; }}
.key {{ margin-right: 1.2em; white-space: nowrap; }}
.dot {{ display: inline-block; width: 10px; height: 10px; border-radius: 50%;
        margin-right: 4px; }}
circle:hover {{ stroke: #000; stroke-width: 2; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
{paragraphs}
<table><tr>{header}</tr>{body}</table>
<p>{legend}</p>
<p>Hover over a point to see its label and sentence (the occurrence in [brackets]).</p>
{panels}
</body></html>
"""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
