"""`allennlp bioelmo-plot`: AllenNLP and bioelmo-finetune runs to one PNG; bad input."""

import os

import pytest

from allennlp_bioelmo.common.config_variables import BIOELMO_SMALL_DIR
from tests import FIXTURES
from tests.commands.cli import allennlp_in_process

RUNS = os.path.join(FIXTURES, "analysis", "runs")


def plot(*args):
    allennlp_in_process("bioelmo-plot", *args)


def test_allennlp_and_finetune_runs_in_one_chart(tmp_path, capsys):
    output = tmp_path / "curves.png"
    runs = [os.path.join(RUNS, name) for name in ("ner", "relation", "finetune")]
    plot(*runs, "--output", str(output), "--names", "NER", "RE", "LM", "--hline", "trigram=100")
    assert output.read_bytes()[:4] == b"\x89PNG"
    assert f"wrote {output} (3 runs)" in capsys.readouterr().out


def test_bioelmo_small_training_log(tmp_path):
    output = tmp_path / "bioelmo_small.png"
    plot(
        BIOELMO_SMALL_DIR,
        "--output",
        str(output),
        "--hline",
        "Kneser-Ney trigram, forward=87.8",
        "--hline",
        "unigram=846",
    )
    assert output.stat().st_size > 10_000


@pytest.mark.parametrize(
    "args, message",
    [
        ([os.path.join(RUNS, "empty")], "has no metrics to plot: no metrics_epoch_*.json"),
        (["missing_run"], "no such run directory: missing_run"),
        ([os.path.join(RUNS, "ner"), "--hline", "87.8"], "a reference line is LABEL=VALUE"),
        ([os.path.join(RUNS, "ner"), "--names", "a", "b"], "--names gives 2 names for 1 runs"),
        ([os.path.join(RUNS, "ner"), "--metric", "bleu"], "no validation metric 'bleu'"),
    ],
)
def test_bad_input(tmp_path, args, message):
    with pytest.raises(SystemExit) as failure:
        plot(*args, "--output", str(tmp_path / "out.png"))
    assert str(failure.value).startswith("bioelmo-plot: ")
    assert message in str(failure.value)
    assert not (tmp_path / "out.png").exists()
