"""
Training curves of runs, read from what the runs wrote and drawn into one PNG
(`allennlp bioelmo-plot`):

* an `allennlp train` serialization directory: `metrics_epoch_<N>.json` (training and validation
  loss per epoch, and a validation metric: the one named, else an overall/micro F1, else any F1,
  else accuracy, else the first other validation metric);
* a `bioelmo-finetune` output directory (or the log itself): `metrics.jsonl` or
  `training_log.jsonl` (the sampled-softmax training loss every `log_every` steps, the held-out
  perplexity forward and backward, and where a resumed run was given a new length: dotted
  vertical lines).

Panels: loss (every run), the validation metric (AllenNLP runs) and the held-out perplexity
(finetune runs, log scale), each against epochs; horizontal reference lines (`hlines`, e.g. a
trigram's perplexity) go on the perplexity panel, or on the metric panel when there is none.
"""

import glob
import json
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from allennlp_bioelmo.analysis import AnalysisError
from allennlp_bioelmo.analysis.dependencies import import_optional, matplotlib_figure

PURPOSE = "bioelmo-plot"
FINETUNE_LOGS = ("metrics.jsonl", "training_log.jsonl")
Curve = List[Tuple[float, float]]
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"]
# not among the run colours
REFERENCE_COLOURS = ["#000000", "#8c8c8c", "#bcbd22", "#17becf"]


@dataclass
class RunCurves:
    name: str
    kind: str  # "allennlp" or "finetune"
    loss: Curve = field(default_factory=list)
    validation_loss: Curve = field(default_factory=list)
    metric_name: Optional[str] = None
    metric: Curve = field(default_factory=list)
    perplexity: Dict[str, Curve] = field(default_factory=dict)  # direction -> curve
    # where a resumed run was given a new length: (epoch, the new planned epochs)
    length_changes: List[Tuple[float, float]] = field(default_factory=list)


def choose_metric(keys: Sequence[str], wanted: Optional[str] = None) -> Optional[str]:
    """The validation metric to draw among `metrics_epoch_*.json` keys (module docstring)."""
    candidates = [
        key
        for key in keys
        if key.startswith("validation_") and not key.endswith("loss") and "duration" not in key
    ]
    if wanted:
        for key in (wanted, f"validation_{wanted}"):
            if key in candidates:
                return key
        return None

    def preference(key: str) -> Tuple[int, str]:
        lower = key.lower()
        if "f1" in lower and ("overall" in lower or "micro" in lower):
            return 0, key
        if "f1" in lower:
            return 1, key
        if "accuracy" in lower:
            return 2, key
        return 3, key

    return min(candidates, key=preference) if candidates else None


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise AnalysisError(f"cannot read {path}: {error}")


def read_allennlp_run(directory: str, metric: Optional[str] = None) -> RunCurves:
    files = glob.glob(os.path.join(directory, "metrics_epoch_*.json"))
    numbered = sorted(
        (int(re.search(r"metrics_epoch_(\d+)\.json$", f).group(1)), f)  # type: ignore[union-attr]
        for f in files
        if re.search(r"metrics_epoch_(\d+)\.json$", f)
    )
    run = RunCurves(os.path.basename(os.path.normpath(directory)), "allennlp")
    epochs = [(number, _read_json(path)) for number, path in numbered]
    keys = sorted({key for _, metrics in epochs for key in metrics})
    run.metric_name = choose_metric(keys, metric)
    if metric and run.metric_name is None:
        found = ", ".join(choose_metric_candidates(keys)) or "none"
        raise AnalysisError(
            f"{directory}: no validation metric {metric!r} (its validation metrics: {found})"
        )
    for number, metrics in epochs:
        x = float(number + 1)  # after epoch number + 1
        if "training_loss" in metrics:
            run.loss.append((x, float(metrics["training_loss"])))
        if "validation_loss" in metrics:
            run.validation_loss.append((x, float(metrics["validation_loss"])))
        if run.metric_name in metrics:
            run.metric.append((x, float(metrics[run.metric_name])))
    return run


def choose_metric_candidates(keys: Sequence[str]) -> List[str]:
    return [k for k in keys if k.startswith("validation_") and not k.endswith("loss")]


def read_finetune_log(path: str, name: Optional[str] = None) -> RunCurves:
    run = RunCurves(name or os.path.basename(os.path.dirname(os.path.abspath(path))), "finetune")
    try:
        with open(path, encoding="utf-8") as handle:
            lines = [(number, line) for number, line in enumerate(handle, start=1)]
    except OSError as error:
        raise AnalysisError(f"cannot read {path}: {error}")
    steps_per_epoch, planned_steps = None, None
    for number, line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise AnalysisError(f"{path}, line {number}: not JSON ({error})")
        steps_per_epoch = record.get("steps_per_epoch", steps_per_epoch)
        epoch = record.get("epoch")
        if epoch is None and steps_per_epoch and "step" in record:
            epoch = record["step"] / steps_per_epoch
        if record.get("event") in ("start", "resume"):
            if planned_steps is not None and record.get("steps") != planned_steps and epoch:
                run.length_changes.append((float(epoch), record["steps"] / steps_per_epoch))
            planned_steps = record.get("steps")
            continue
        if epoch is None:
            continue
        if "loss" in record:
            run.loss.append((float(epoch), float(record["loss"])))
        for direction in ("forward", "backward"):
            value = record.get(f"validation_{direction}_perplexity")
            if value is not None:
                run.perplexity.setdefault(direction, []).append((float(epoch), float(value)))
    return run


def read_run(path: str, metric: Optional[str] = None, name: Optional[str] = None) -> RunCurves:
    """The curves of an AllenNLP serialization directory or a finetune directory / log file,
    named `name` (default: the directory's name)."""
    if os.path.isfile(path) and path.endswith(".jsonl"):
        run = read_finetune_log(path)
    elif not os.path.isdir(path):
        raise AnalysisError(f"no such run directory: {path}")
    elif glob.glob(os.path.join(path, "metrics_epoch_*.json")):
        run = read_allennlp_run(path, metric)
    else:
        logs = [os.path.join(path, name) for name in FINETUNE_LOGS]
        existing = [log for log in logs if os.path.isfile(log)]
        if not existing:
            raise AnalysisError(
                f"{path} has no metrics to plot: no metrics_epoch_*.json (allennlp train) and "
                f"no {' or '.join(FINETUNE_LOGS)} (bioelmo-finetune)"
            )
        run = read_finetune_log(existing[0], os.path.basename(os.path.normpath(path)))
    if not (run.loss or run.validation_loss or run.metric or run.perplexity):
        raise AnalysisError(f"{path}: its metrics files hold no loss, metric or perplexity yet")
    if name:
        run.name = name
    return run


def parse_reference(text: str) -> Tuple[str, float]:
    """ "LABEL=VALUE" -> (label, value)."""
    label, separator, value = text.rpartition("=")
    try:
        if not separator or not label.strip():
            raise ValueError(text)
        return label.strip(), float(value)
    except ValueError:
        raise AnalysisError(
            f"a reference line is LABEL=VALUE, e.g. 'KN trigram=87.8'; not {text!r}"
        )


def _plot(axis, curve: Curve, **style) -> None:
    if curve:
        xs, ys = zip(*curve)
        axis.plot(xs, ys, **style)


def _log_scale_if_wide(axis, ticker) -> bool:
    """A log y axis, with plain numbers as labels, where the values span more than 5 times."""
    low, high = axis.dataLim.y0, axis.dataLim.y1
    if not (low > 0 and high / low > 5):
        return False
    axis.set_yscale("log")
    axis.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 1.5, 2.0, 3.0, 5.0, 8.0)))
    axis.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:g}"))
    axis.yaxis.set_minor_formatter(ticker.NullFormatter())
    axis.set_ylabel(axis.get_ylabel() + " (log scale)")
    return True


def draw_curves(
    runs: Sequence[RunCurves],
    output: str,
    references: Sequence[Tuple[str, float]] = (),
    title: Optional[str] = None,
) -> None:
    """The panels of the module docstring, one colour per run, written to `output`."""
    ticker = import_optional("matplotlib.ticker", PURPOSE)
    panels = ["loss"]
    if any(run.metric for run in runs):
        panels.append("metric")
    if any(run.perplexity for run in runs):
        panels.append("perplexity")
    entries = max(2, len(references) + 2 * len(runs))
    height = 4.4 + 0.18 * ((entries + 1) // 2)
    figure = matplotlib_figure(PURPOSE, figsize=(6.0 * len(panels), height), dpi=110)
    axes = dict(zip(panels, figure.subplots(1, len(panels), squeeze=False)[0]))
    for index, run in enumerate(runs):
        colour = COLOURS[index % len(COLOURS)]
        if run.kind == "allennlp":
            _plot(axes["loss"], run.loss, color=colour, marker="o", label=f"{run.name} training")
            _plot(
                axes["loss"],
                run.validation_loss,
                color=colour,
                marker="s",
                linestyle="--",
                label=f"{run.name} validation",
            )
            if run.metric:
                metric = (run.metric_name or "").replace("validation_", "")
                _plot(
                    axes["metric"],
                    run.metric,
                    color=colour,
                    marker="o",
                    label=f"{run.name} ({metric})",
                )
        else:
            _plot(axes["loss"], run.loss, color=colour, linewidth=1.2, label=f"{run.name} training")
            for direction, style in (("forward", "-"), ("backward", "--")):
                _plot(
                    axes["perplexity"],
                    run.perplexity.get(direction, []),
                    color=colour,
                    linestyle=style,
                    marker="o" if direction == "forward" else "s",
                    markersize=4,
                    label=f"{run.name} {direction}",
                )
            for epoch, planned in run.length_changes:
                for name in ("loss", "perplexity"):
                    if name in axes:
                        axes[name].axvline(epoch, color=colour, linestyle=":", linewidth=1)
                if "perplexity" in axes:
                    axes["perplexity"].text(
                        epoch,
                        0.93,
                        f" extended to {planned:g} epochs",
                        transform=axes["perplexity"].get_xaxis_transform(),
                        rotation=90,
                        va="top",
                        ha="left",
                        fontsize=8,
                        color="#444444",
                    )
    reference_axis = axes.get("perplexity", axes.get("metric"))
    for index, (label, value) in enumerate(references):
        if reference_axis is None:
            raise AnalysisError("reference lines need a metric or perplexity panel")
        reference_axis.axhline(
            value,
            color=REFERENCE_COLOURS[index % len(REFERENCE_COLOURS)],
            linestyle=(0, (4, 2 + index)),
            linewidth=1.3,
            label=f"{label} ({value:g})",
        )
    loss_title = "training loss"
    if any(run.kind == "allennlp" for run in runs):
        loss_title += " (dashed: validation)"
    if any(run.kind == "finetune" for run in runs):
        loss_title += " (finetune: sampled softmax)"
    axes["loss"].set_title(loss_title)
    axes["loss"].set_ylabel("loss")
    if "metric" in axes:
        axes["metric"].set_title("validation metric")
        axes["metric"].set_ylabel("validation metric")
    if "perplexity" in axes:
        axis = axes["perplexity"]
        axis.set_title("held-out perplexity (full softmax)")
        axis.set_ylabel("perplexity")
        _log_scale_if_wide(axis, ticker)
    _log_scale_if_wide(axes["loss"], ticker)
    if not any(run.kind == "finetune" for run in runs):
        axes["loss"].xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    if "metric" in axes:
        axes["metric"].xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    for axis in axes.values():
        axis.set_xlabel("epoch")
        axis.grid(True, alpha=0.3)
        # below the panel, where it hides no curve
        axis.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    figure.suptitle(title or "training curves: " + ", ".join(run.name for run in runs))
    figure.tight_layout()
    figure.savefig(output)
