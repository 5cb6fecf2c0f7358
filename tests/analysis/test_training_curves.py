"""Reading the curves of AllenNLP and bioelmo-finetune runs."""

import os

import pytest

from allennlp_bioelmo.analysis import AnalysisError
from allennlp_bioelmo.analysis.training_curves import (
    choose_metric,
    draw_curves,
    parse_reference,
    read_run,
)
from allennlp_bioelmo.common.config_variables import BIOELMO_SMALL_DIR
from tests import FIXTURES

RUNS = os.path.join(FIXTURES, "analysis", "runs")


def test_allennlp_run_loss_and_f1_by_epoch():
    run = read_run(os.path.join(RUNS, "ner"))
    assert run.kind == "allennlp" and run.name == "ner"
    assert run.metric_name == "validation_f1-measure-overall"
    assert run.metric == [(1.0, 0.18), (2.0, 0.25), (3.0, 0.41)]
    assert [x for x, _ in run.loss] == [1.0, 2.0, 3.0] and len(run.validation_loss) == 3


def test_metric_choice():
    keys = ["validation_loss", "validation_accuracy", "validation_macro-f1", "validation_micro-f1"]
    assert choose_metric(keys) == "validation_micro-f1"
    assert choose_metric(keys[:3]) == "validation_macro-f1"
    assert choose_metric(keys[:2]) == "validation_accuracy"
    assert choose_metric(keys, "accuracy") == "validation_accuracy"
    assert choose_metric(["validation_loss"]) is None
    with pytest.raises(AnalysisError, match="no validation metric 'recall'"):
        read_run(os.path.join(RUNS, "relation"), "recall")


def test_finetune_run_loss_perplexity_and_length_changes():
    run = read_run(os.path.join(RUNS, "finetune"))
    assert run.kind == "finetune"
    assert run.loss == [(0.5, 5.1), (1.0, 4.2), (1.5, 3.9), (2.0, 3.7)]
    assert run.perplexity == {
        "forward": [(1.0, 120.0), (2.0, 90.0)],
        "backward": [(1.0, 125.0), (2.0, 94.0)],
    }
    assert run.length_changes == [(1.0, 3.0)]


def test_bioelmo_small_training_log():
    run = read_run(BIOELMO_SMALL_DIR, name="BioELMo-small")
    assert run.name == "BioELMo-small"
    epochs = [(x, y) for x, y in run.perplexity["forward"] if x == int(x)]
    assert [x for x, _ in epochs] == [1, 2, 3, 4, 5, 6, 7]
    assert round(epochs[-1][1], 1) == 81.6  # README: 81.6 forward after epoch 7
    assert [round(planned) for _, planned in run.length_changes] == [4, 7]


def test_runs_without_metrics_are_refused(tmp_path):
    with pytest.raises(AnalysisError, match="has no metrics to plot: no metrics_epoch"):
        read_run(os.path.join(RUNS, "empty"))
    with pytest.raises(AnalysisError, match="no such run directory"):
        read_run(str(tmp_path / "missing"))
    (tmp_path / "metrics.jsonl").write_text('{"step": 0, "event": "start", "steps": 2}\n')
    with pytest.raises(AnalysisError, match="hold no loss, metric or perplexity yet"):
        read_run(str(tmp_path))


def test_reference_lines():
    assert parse_reference("KN trigram, forward=87.8") == ("KN trigram, forward", 87.8)
    with pytest.raises(AnalysisError, match="LABEL=VALUE"):
        parse_reference("87.8")


def test_several_runs_in_one_chart(tmp_path):
    runs = [read_run(os.path.join(RUNS, name)) for name in ("ner", "relation", "finetune")]
    output = tmp_path / "curves.png"
    draw_curves(runs, str(output), [("trigram", 100.0)])
    assert output.read_bytes()[:4] == b"\x89PNG"
