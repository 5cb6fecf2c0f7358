"""
The `allennlp bioelmo-senses` analysis: every occurrence of a term in a collection, its vector in
each layer of the biLM (and a trained model's layer mix), labels from one source, and per layer
nearest-neighbour purity, 1-NN accuracy, a PCA and a t-SNE picture.

`run_senses(SensesSettings(...))` writes into `output_dir`:

* `senses.png`: rows PCA and t-SNE, one column per layer, points coloured by label (unlabelled
  grey), the scores of each layer above its column;
* `senses.html`: one self-contained page, the PCA of each layer as an inline SVG whose points show
  their label and sentence on hover, with the scores table;
* `scores.json`: the settings, the counts and the scores per layer (what is printed);
* `occurrences.jsonl`: every occurrence used, `{"tokens", "start", "end", "label", "document",
  "term"}` (token indices), which is also the label-file format: edit the labels and pass it back
  with `--labels occurrences.jsonl`.
"""

import json
import os
from dataclasses import asdict, dataclass
from typing import Callable, Dict, List, Optional, Sequence

import torch

from allennlp_bioelmo.analysis import AnalysisError
from allennlp_bioelmo.analysis.dependencies import require_viz
from allennlp_bioelmo.analysis.neighbour_purity import METRICS, neighbour_scores
from allennlp_bioelmo.analysis.occurrence_vectors import (
    occurrence_vectors,
    source_from_archive,
    source_from_files,
)
from allennlp_bioelmo.analysis.sense_plots import PROJECTIONS, draw_png, write_html
from allennlp_bioelmo.analysis.term_occurrences import (
    DOCUMENT_FORMATS,
    LABEL_SOURCES,
    abbreviation_labels,
    file_labels,
    find_occurrences,
    gold_labels,
    label_counts,
    read_collection,
    sample_occurrences,
)

DEFAULT_MAX_OCCURRENCES = 20_000


@dataclass(frozen=True)
class SensesSettings:
    """
    What `run_senses` analyses, and how; the options of `bioelmo-senses`.

    `labels`: "gold" (mention types), "gold-identifier", "abbreviations" or a JSON-lines label
    file; None picks "gold" for annotated document formats and "abbreviations" otherwise.
    `options_file`/`weight_file` default to `BIOELMO_OPTIONS`/`BIOELMO_WEIGHTS` (BioELMo-small
    unless set); `model` (a `model.tar.gz` with a `bioelmo` embedder) replaces them: its biLM and
    its layer mix. `name` names the biLM in titles. `label_map`: a JSON file of
    `{"label": "new label"}` applied to the labels of any source (variants of one sense merged:
    "estrogen receptors" -> "estrogen receptor"; `null` unlabels).
    """

    input_file: str
    terms: Sequence[str]
    output_dir: str
    input_format: Optional[str] = None
    labels: Optional[str] = None
    options_file: Optional[str] = None
    weight_file: Optional[str] = None
    model: Optional[str] = None
    name: Optional[str] = None
    batch_size: int = 32
    cuda_device: int = -1
    label_map: Optional[str] = None
    max_occurrences: int = DEFAULT_MAX_OCCURRENCES
    seed: int = 0
    k: int = 5
    metric: str = "cosine"


def _bilm_name(settings: SensesSettings, options_file: Optional[str]) -> str:
    if settings.name:
        return settings.name
    if settings.model:
        return os.path.basename(settings.model)
    from allennlp_bioelmo.common.config_variables import BIOELMO_SMALL_FILES

    if options_file and os.path.abspath(options_file) == os.path.abspath(
        BIOELMO_SMALL_FILES["BIOELMO_OPTIONS"]
    ):
        return "BioELMo-small"
    return os.path.basename(os.path.dirname(os.path.abspath(options_file or ""))) or "biLM"


def _labels(settings: SensesSettings, collection, occurrences, say) -> tuple:
    source = settings.labels or (
        "gold" if collection.format in DOCUMENT_FORMATS else "abbreviations"
    )
    if source in ("gold", "gold-identifier"):
        if collection.format not in DOCUMENT_FORMATS:
            raise AnalysisError(
                f"--labels {source} needs annotated documents (PubTator, BioC, ...); "
                f"{settings.input_file} was read as {collection.format}"
            )
        return source, gold_labels(collection, occurrences, source)
    if source == "abbreviations":
        return source, abbreviation_labels(collection, occurrences)
    if not os.path.isfile(source):
        raise AnalysisError(
            f"--labels must be one of {', '.join(LABEL_SOURCES)} or a JSON-lines label file; "
            f"no such file: {source}"
        )
    labels, report = file_labels(collection, occurrences, source)
    say(f"label file {source}: {report.matched} of {report.entries} entries name an occurrence")
    if report.unmatched_lines:
        lines = ", ".join(str(n) for n in report.unmatched_lines[:10])
        more = " ..." if len(report.unmatched_lines) > 10 else ""
        say(
            f"warning: {len(report.unmatched_lines)} label entries name no occurrence of the "
            f"term (lines {lines}{more})"
        )
    if report.conflicts:
        say(f"warning: {report.conflicts} occurrences got two different labels (the last kept)")
    return source, labels


def read_label_map(path: str) -> Dict[str, Optional[str]]:
    try:
        with open(path, encoding="utf-8") as handle:
            mapping = json.load(handle)
    except FileNotFoundError:
        raise AnalysisError(f"label map not found: {path}")
    except json.JSONDecodeError as error:
        raise AnalysisError(f"label map {path} is not JSON: {error}")
    if not isinstance(mapping, dict) or not all(
        isinstance(value, str) or value is None for value in mapping.values()
    ):
        raise AnalysisError(
            f'label map {path}: expected a JSON object of "label": "new label" (or null)'
        )
    return mapping


def _score_line(scores: dict) -> str:
    if "skipped" in scores:
        return "no scores"
    return (
        f"purity@{scores['k']} {scores['purity']:.2f} · 1-NN {scores['nn1_accuracy']:.2f} "
        f"(chance {scores['chance']:.2f})"
    )


def format_table(layer_scores: List[dict]) -> List[List[str]]:
    rows = []
    for scores in layer_scores:
        if "skipped" in scores:
            rows.append([scores["layer"], "-", "-", "-"])
        else:
            rows.append(
                [
                    scores["layer"],
                    f"{scores['purity']:.3f}",
                    f"{scores['nn1_accuracy']:.3f}",
                    f"{scores['chance']:.3f}",
                ]
            )
    return rows


def run_senses(settings: SensesSettings, say: Callable[[str], None] = print) -> Dict:
    """The whole analysis (module docstring); returns what `scores.json` holds."""
    require_viz("bioelmo-senses")
    if settings.metric not in METRICS:
        raise AnalysisError(f"--metric must be one of {', '.join(METRICS)}")
    if settings.k < 1:
        raise AnalysisError("--k must be at least 1")
    if settings.max_occurrences < 2:
        raise AnalysisError("--max-occurrences must be at least 2")
    if settings.model and (settings.options_file or settings.weight_file):
        raise AnalysisError(
            "give --model (its biLM and layer mix) or --options-file/--weight-file, not both"
        )
    if not settings.terms:
        raise AnalysisError("give at least one --term")

    collection = read_collection(settings.input_file, settings.input_format)
    documents, sentences, tokens = collection.sizes()
    say(
        f"{settings.input_file}: {documents:,} documents, {sentences:,} sentences, {tokens:,} "
        f"tokens (read as {collection.format})"
    )
    occurrences = find_occurrences(collection, settings.terms)
    per_term = {term: sum(1 for o in occurrences if o.term == term) for term in settings.terms}
    quoted = ", ".join(f"{term!r}" for term in settings.terms)
    if not occurrences:
        raise AnalysisError(
            f"{quoted} occur{'s' if len(settings.terms) == 1 else ''} 0 times in "
            f"{settings.input_file} ({documents:,} documents, {tokens:,} tokens read as "
            f"{collection.format}); terms match whole tokens, case-sensitively"
        )
    for term, count in per_term.items():
        say(f"{term!r}: {count:,} occurrences")

    label_source, labels = _labels(settings, collection, occurrences, say)
    if settings.label_map:
        mapping = read_label_map(settings.label_map)
        changed = sum(1 for label in labels if label in mapping and mapping[label] != label)
        labels = [mapping.get(label, label) if label is not None else None for label in labels]
        label_source += f", mapped by {os.path.basename(settings.label_map)}"
        say(f"label map {settings.label_map}: {changed:,} labels changed")
    for occurrence, label in zip(occurrences, labels):
        occurrence.label = label
    found = len(occurrences)
    occurrences = sample_occurrences(occurrences, settings.max_occurrences, settings.seed)
    if len(occurrences) < found:
        say(
            f"{found:,} occurrences: a random {len(occurrences):,} of them are used "
            f"(--max-occurrences {settings.max_occurrences}, --seed {settings.seed})"
        )
    labels = [occurrence.label for occurrence in occurrences]
    counts = label_counts(labels)
    say(
        f"labels ({label_source}): {sum(counts.values()):,} labelled, "
        f"{len(labels) - sum(counts.values()):,} unlabelled; "
        + (", ".join(f"{label} {count}" for label, count in counts.most_common(12)) or "none")
    )

    options_file, weight_file = settings.options_file, settings.weight_file
    if settings.model:
        source = source_from_archive(settings.model, settings.cuda_device)
    else:
        options_file = options_file or os.environ.get("BIOELMO_OPTIONS")
        weight_file = weight_file or os.environ.get("BIOELMO_WEIGHTS")
        if not options_file:
            raise AnalysisError("no biLM: give --options-file (or set BIOELMO_OPTIONS)")
        source = source_from_files(options_file, weight_file)
    name = _bilm_name(settings, options_file)
    say(f"vectors from {name}: {source.description}")
    device = torch.device("cpu" if settings.cuda_device < 0 else f"cuda:{settings.cuda_device}")
    layers = occurrence_vectors(source, collection, occurrences, settings.batch_size, device)
    layer_names = source.layer_names()

    layer_scores = []
    for layer_name, vectors in zip(layer_names, layers):
        scores = neighbour_scores(vectors, labels, settings.k, settings.metric)
        layer_scores.append({"layer": layer_name, **scores})
    if "skipped" in layer_scores[0]:
        say(f"scores skipped: {layer_scores[0]['skipped']}")

    projections = {
        method: [project(vectors, settings.seed) for vectors in layers]
        for method, project in PROJECTIONS.items()
    }
    os.makedirs(settings.output_dir, exist_ok=True)
    terms = " / ".join(settings.terms)
    labelled = sum(counts.values())
    title = (
        f"'{terms}' in {os.path.basename(settings.input_file)}, {name}\n{len(occurrences):,} "
        f"occurrences, {labelled:,} labelled ({label_source}, {len(counts)} labels)"
    )
    png = os.path.join(settings.output_dir, "senses.png")
    draw_png(png, layer_names, projections, labels, title, [_score_line(s) for s in layer_scores])

    header = ["layer", f"purity@{settings.k}", "1-NN accuracy", "chance"]
    hover = [
        f"{o.label or 'unlabelled'} ({collection.documents[o.document].id}): "
        + o.sentence_text(collection, context=200)
        for o in occurrences
    ]
    notes = [
        f"{len(occurrences):,} occurrences of {terms} in {settings.input_file} "
        f"(read as {collection.format}); labels: {label_source}; vectors: {source.description}.",
        f"Scores over the {labelled:,} labelled occurrences, {settings.metric} distance; "
        "chance is what random neighbours would score.",
    ]
    if "skipped" in layer_scores[0]:
        notes.append(f"Scores skipped: {layer_scores[0]['skipped']}.")
    page = os.path.join(settings.output_dir, "senses.html")
    write_html(
        page,
        layer_names,
        projections["PCA"],
        labels,
        hover,
        title.replace("\n", ": "),
        format_table(layer_scores),
        header,
        notes,
    )

    occurrence_file = os.path.join(settings.output_dir, "occurrences.jsonl")
    with open(occurrence_file, "w", encoding="utf-8") as handle:
        for occurrence in occurrences:
            sentence = collection.documents[occurrence.document].sentences[occurrence.sentence]
            record = {
                "tokens": sentence.tokens,
                "start": occurrence.start,
                "end": occurrence.end,
                "label": occurrence.label,
                "document": collection.documents[occurrence.document].id,
                "term": occurrence.term,
            }
            handle.write(json.dumps(record) + "\n")

    result = {
        "settings": asdict(settings),
        "input_format": collection.format,
        "bilm": name,
        "bilm_source": source.description,
        "label_source": label_source,
        "occurrences_found": found,
        "occurrences_per_term": per_term,
        "occurrences_used": len(occurrences),
        "labelled": labelled,
        "labels": dict(counts.most_common()),
        "metric": settings.metric,
        "k": settings.k,
        "layers": layer_scores,
        "files": {
            "png": png,
            "html": page,
            "occurrences": occurrence_file,
            "scores": os.path.join(settings.output_dir, "scores.json"),
        },
    }
    if source.mix_weights:
        result["model_mix_weights"] = source.mix_weights
    with open(result["files"]["scores"], "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)

    if "skipped" not in layer_scores[0]:
        say(
            f"scores over the {labelled:,} labelled occurrences ({settings.metric} distance, "
            f"k = {layer_scores[0]['k']}; chance: random neighbours):"
        )
    widths = [max(len(text) for text in layer_names + ["layer"]), 9, 13, 7]
    say("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for row in format_table(layer_scores):
        say("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
    say(f"wrote {png}, {page}, {result['files']['scores']} and {occurrence_file}")
    return result
