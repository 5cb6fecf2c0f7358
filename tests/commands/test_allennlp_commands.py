"""
The AllenNLP commands our users need, through the real CLI entry point, on the pinned stack.
"""

import json
import os

import pytest

from tests import FIXTURES
from tests.commands.cli import NER_CONFIG, allennlp

TEST_FILE = os.path.join(FIXTURES, "data", "ncbi_disease", "test.txt")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    serialization_dir = tmp_path_factory.mktemp("cli") / "ner"
    allennlp("train", NER_CONFIG, "-s", str(serialization_dir), env={"NER_EPOCHS": "3"})
    return serialization_dir


def test_train_writes_an_archive_and_test_metrics(trained):
    assert (trained / "model.tar.gz").exists()
    metrics = json.loads((trained / "metrics.json").read_text())
    assert metrics["epoch"] == 2
    assert "test_f1-measure-overall" in metrics and "validation_f1-measure-overall" in metrics


def test_evaluate(trained, tmp_path):
    output = tmp_path / "metrics.json"
    allennlp("evaluate", str(trained / "model.tar.gz"), TEST_FILE, "--output-file", str(output))
    metrics = json.loads(output.read_text())
    assert 0.0 <= metrics["f1-measure-overall"] <= 1.0 and metrics["loss"] > 0


def test_predict_without_naming_a_predictor(trained, tmp_path):
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(
        '{"text": "Mutations cause breast cancer."}\n{"tokens": ["cystic", "fibrosis"]}\n'
    )
    output = tmp_path / "out.jsonl"
    allennlp(
        "predict",
        str(trained / "model.tar.gz"),
        str(inputs),
        "--output-file",
        str(output),
        "--silent",
    )
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert len(lines) == 2
    assert [t["text"] for t in lines[0]["tokens"]] == [
        "Mutations",
        "cause",
        "breast",
        "cancer",
        ".",
    ]
    assert len(lines[1]["tags"]) == 2


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ("not json at all", "line 3: not valid JSON"),
        ('["a", "list"]', "line 3: expected a JSON object"),
    ],
)
def test_predict_names_the_line_that_is_not_a_json_object(trained, tmp_path, bad_line, message):
    inputs = tmp_path / "in.jsonl"
    inputs.write_text('{"text": "Mutations cause breast cancer."}\n\n' + bad_line + "\n")
    output = tmp_path / "out.jsonl"
    result = allennlp(
        "predict",
        str(trained / "model.tar.gz"),
        str(inputs),
        "--output-file",
        str(output),
        check=False,
    )
    assert result.returncode != 0
    assert f"ConfigurationError: {inputs}, {message}" in result.stderr
    # raised `from None`: the JSON parser's own traceback is not shown above it
    assert "During handling of the above exception" not in result.stderr
    assert "JSONDecodeError" not in result.stderr


def test_build_vocab(tmp_path):
    output = tmp_path / "vocab.tar.gz"
    allennlp("build-vocab", NER_CONFIG, str(output))
    assert output.exists() and output.stat().st_size > 0


def test_test_install():
    result = allennlp("test-install")
    assert "AllenNLP version 2.10.1 installed" in result.stderr
