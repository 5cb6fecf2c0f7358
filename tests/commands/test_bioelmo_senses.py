"""`allennlp bioelmo-senses` on the fixtures: every input format, every label source, a trained
model's layer mix, and the bad inputs (on the tiny random test biLM: the scores mean nothing)."""

import json
import os
import sys

import pytest
from allennlp.commands.train import train_model_from_file

from tests import FIXTURES, REPOSITORY_ROOT
from tests.analysis.tensorboard_events import read_scalars
from tests.commands.cli import allennlp, allennlp_in_process

ANALYSIS = os.path.join(FIXTURES, "analysis")
NER_CONFIG = os.path.join(REPOSITORY_ROOT, "training_configs", "ner", "ncbi_disease.jsonnet")


def senses(output_dir, name, *options):
    allennlp_in_process(
        "bioelmo-senses", os.path.join(ANALYSIS, name), "--output-dir", str(output_dir), *options
    )
    return json.loads((output_dir / "scores.json").read_text())


def fails(*args):
    with pytest.raises(SystemExit) as failure:
        allennlp_in_process("bioelmo-senses", *args)
    return str(failure.value)


@pytest.mark.parametrize(
    "name, input_format, label_source, labels",
    [
        (
            "sentences.txt",
            "sentences",
            "abbreviations",
            {"estrogen receptor": 8, "endoplasmic reticulum": 8},
        ),
        (
            "abstracts.txt",
            "text",
            "abbreviations",
            {"estrogen receptor": 8, "endoplasmic reticulum": 8},
        ),
        ("er.pubtator", "pubtator", "gold", {"Gene": 7, "CellularComponent": 7}),
        ("er.bioc.xml", "bioc_xml", "gold", {"Gene": 7, "CellularComponent": 7}),
        ("er.bioc.json", "bioc_json", "gold", {"Gene": 7, "CellularComponent": 7}),
    ],
)
def test_every_input_format(tmp_path, capsys, name, input_format, label_source, labels):
    scores = senses(tmp_path, name, "--term", "ER")
    assert scores["input_format"] == input_format and scores["label_source"] == label_source
    assert scores["labels"] == labels
    names = [layer["layer"] for layer in scores["layers"]]
    assert names == ["char CNN (layer 0)", "LSTM layer 1", "LSTM layer 2"]
    for layer in scores["layers"]:
        assert 0.0 <= layer["purity"] <= 1.0 and 0.0 <= layer["nn1_accuracy"] <= 1.0
    # one-token term: the char CNN gives every occurrence the same vector, so exactly chance
    char = scores["layers"][0]
    assert char["purity"] == pytest.approx(char["chance"])
    assert (tmp_path / "senses.png").read_bytes()[:4] == b"\x89PNG"
    assert "<title>" in (tmp_path / "senses.html").read_text()
    printed = capsys.readouterr().out
    assert "purity@5" in printed and "LSTM layer 2" in printed


def test_gold_identifiers_and_a_label_map(tmp_path):
    scores = senses(tmp_path, "er.bioc.xml", "--term", "ER", "--labels", "gold-identifier")
    assert scores["labels"] == {"2099": 7, "GO:0005783": 7}
    label_map = tmp_path / "map.json"
    label_map.write_text(json.dumps({"2099": "estrogen receptor", "GO:0005783": None}))
    mapped = senses(
        tmp_path,
        "er.bioc.xml",
        "--term",
        "ER",
        "--labels",
        "gold-identifier",
        "--label-map",
        str(label_map),
    )
    assert mapped["labels"] == {"estrogen receptor": 7}


def test_label_file(tmp_path, capsys):
    labels = os.path.join(ANALYSIS, "labels.jsonl")
    scores = senses(tmp_path, "sentences.txt", "--term", "ER", "--labels", labels)
    assert scores["labels"] == {"estrogen receptor": 3, "endoplasmic reticulum": 3}
    assert scores["occurrences_used"] == 18 and scores["labelled"] == 6
    printed = capsys.readouterr().out
    assert "6 of 7 entries name an occurrence" in printed
    assert "1 label entries name no occurrence of the term (lines 7)" in printed
    # occurrences.jsonl is a label file too: fed back, it gives the same labels
    again = senses(
        tmp_path / "again",
        "sentences.txt",
        "--term",
        "ER",
        "--labels",
        str(tmp_path / "occurrences.jsonl"),
    )
    assert again["labels"] == scores["labels"]


def test_rerun_draws_the_same_picture(tmp_path):
    senses(tmp_path / "first", "sentences.txt", "--term", "ER")
    senses(tmp_path / "second", "sentences.txt", "--term", "ER")
    for name in ("senses.png", "senses.html", "occurrences.jsonl"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_several_terms_and_sampling(tmp_path, capsys):
    scores = senses(
        tmp_path,
        "sentences.txt",
        "--term",
        "ER",
        "--term",
        "PR",
        "--max-occurrences",
        "10",
        "--seed",
        "1",
    )
    assert scores["occurrences_per_term"] == {"ER": 18, "PR": 2}
    assert scores["occurrences_found"] == 20 and scores["occurrences_used"] == 10
    assert "20 occurrences: a random 10 of them are used (--max-occurrences 10, --seed 1)" in (
        capsys.readouterr().out
    )


def test_fewer_than_two_labels_skips_the_scores_but_draws(tmp_path, capsys):
    scores = senses(tmp_path, "sentences.txt", "--term", "PR")
    assert scores["labels"] == {"progesterone receptor": 2}
    assert all("purity" not in layer for layer in scores["layers"])
    reason = "1 label among the labelled occurrences: purity needs at least two"
    assert scores["layers"][0]["skipped"] == reason
    assert f"scores skipped: {reason}" in capsys.readouterr().out
    assert (tmp_path / "senses.png").exists() and (tmp_path / "senses.html").exists()


def test_a_term_that_never_occurs(tmp_path):
    message = fails(
        os.path.join(ANALYSIS, "abstracts.txt"), "--term", "XYZ", "--output-dir", str(tmp_path)
    )
    assert message == (
        "bioelmo-senses: 'XYZ' occurs 0 times in "
        f"{os.path.join(ANALYSIS, 'abstracts.txt')} (7 documents, 164 tokens read as text); "
        "terms match whole tokens, case-sensitively"
    )
    assert "0 times" in fails(
        os.path.join(ANALYSIS, "sentences.txt"), "--term", "er", "--output-dir", str(tmp_path)
    )


def test_the_console_script_exits_non_zero_with_the_message(tmp_path):
    result = allennlp(
        "bioelmo-senses",
        os.path.join(ANALYSIS, "sentences.txt"),
        "--term",
        "XYZ",
        "--output-dir",
        str(tmp_path),
        check=False,
    )
    assert result.returncode == 1
    assert "bioelmo-senses: 'XYZ' occurs 0 times in" in result.stderr


@pytest.mark.parametrize(
    "options, message",
    [
        (["--labels", "gold"], "--labels gold needs annotated documents"),
        (["--labels", "missing.jsonl"], "no such file: missing.jsonl"),
        (["--max-occurrences", "1"], "--max-occurrences must be at least 2"),
        (
            ["--model", "m.tar.gz", "--options-file", "o.json"],
            "give --model (its biLM and layer mix)",
        ),
        (["--input-format", "pubtator"], "cannot read"),
    ],
)
def test_bad_options(tmp_path, options, message):
    path = os.path.join(ANALYSIS, "sentences.txt")
    assert message in fails(path, "--term", "ER", "--output-dir", str(tmp_path), *options)


def test_missing_plotting_extra_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    message = fails(
        os.path.join(ANALYSIS, "sentences.txt"), "--term", "ER", "--output-dir", str(tmp_path)
    )
    assert "bioelmo-senses needs matplotlib, which is not installed" in message
    assert "pip install 'allennlp-bioelmo[viz]'" in message
    assert not (tmp_path / "scores.json").exists()  # failed before any work


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory):
    """A 1-epoch NER model with a bioelmo embedder (scalar mix), trained by the shipped config."""
    serialization_dir = tmp_path_factory.mktemp("ner")
    train_model_from_file(NER_CONFIG, str(serialization_dir), overrides='{"trainer.num_epochs": 1}')
    return serialization_dir


def test_a_trained_models_layer_mix_is_a_layer_of_its_own(tmp_path, trained_model):
    archive = str(trained_model / "model.tar.gz")
    scores = senses(tmp_path, "er.pubtator", "--term", "ER", "--model", archive)
    names = [layer["layer"] for layer in scores["layers"]]
    assert len(names) == 4 and names[3].startswith("model's mix (scalar_mix: ")
    weights = scores["model_mix_weights"]
    assert sum(weights[f"layer {k}"] for k in range(3)) == pytest.approx(1.0)
    assert "gamma" in weights


def test_configs_write_tensorboard_events(trained_model):
    # common.libsonnet's trainer callback: allennlp train writes log/train and log/validation
    train = read_scalars(str(trained_model / "log" / "train"))
    validation = read_scalars(str(trained_model / "log" / "validation"))
    assert [step for step, _ in validation["validation/loss"]] == [1]
    assert "validation/f1-measure-overall" in validation and "train/loss" in train
