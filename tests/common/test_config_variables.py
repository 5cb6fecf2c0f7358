"""Config variable defaults, and the log lines that say which biLM and which corpus are in use."""

import logging
import os
import shutil

import pytest
from allennlp.common import Params

from allennlp_bioelmo.common import config_variables
from allennlp_bioelmo.data.dataset_readers import BioConllDatasetReader
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from tests import FIXTURES, REPOSITORY_ROOT
from tests.commands.cli import NER_CONFIG, allennlp
from tests.conftest import TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS

NCBI_FIXTURE = os.path.join(FIXTURES, "data", "ncbi_disease", "train.txt")


@pytest.fixture(autouse=True)
def fresh_announcements(monkeypatch):
    monkeypatch.setattr(config_variables, "_announced", set())


def test_data_defaults_point_into_the_checkout_and_the_bilm_into_the_package():
    defaults = config_variables.config_variable_defaults(REPOSITORY_ROOT)
    assert defaults["NCBI_DISEASE_TRAIN"] == NCBI_FIXTURE
    assert defaults["BIOELMO_OPTIONS"].startswith(
        os.path.join(config_variables.PACKAGE_ROOT, "pretrained", "bioelmo_small")
    )
    assert config_variables.find_repository_root(REPOSITORY_ROOT) == REPOSITORY_ROOT
    assert "NCBI_DISEASE_TRAIN" not in config_variables.fixture_data_defaults(None)


def test_a_fixture_corpus_read_by_default_is_announced_once_with_the_variable(
    caplog, monkeypatch, tmp_path
):
    monkeypatch.setenv("NCBI_DISEASE_TRAIN", NCBI_FIXTURE)
    monkeypatch.setenv("IOB_TRAIN", NCBI_FIXTURE)
    reader = BioConllDatasetReader()
    with caplog.at_level(logging.WARNING):
        assert len(list(reader.read(NCBI_FIXTURE))) > 0
        list(reader.read(NCBI_FIXTURE))
    warnings = [r.getMessage() for r in caplog.records if "FIXTURE corpus" in r.getMessage()]
    assert len(warnings) == 1
    assert "IOB_TRAIN / NCBI_DISEASE_TRAIN are not set" in warnings[0]
    assert "export IOB_TRAIN=<your file>" in warnings[0]
    # the same sentences under another name are the user's data: no warning
    caplog.clear()
    copy = tmp_path / "train.txt"
    shutil.copy(NCBI_FIXTURE, copy)
    with caplog.at_level(logging.WARNING):
        list(reader.read(str(copy)))
    assert not [r for r in caplog.records if "FIXTURE corpus" in r.getMessage()]


def test_the_random_test_bilm_is_announced_loudly_and_once(caplog):
    with caplog.at_level(logging.INFO):
        config_variables.log_bilm_files(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)
        config_variables.log_bilm_files(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)
    messages = [r for r in caplog.records if "BioELMo files" in r.getMessage()]
    assert len(messages) == 1 and messages[0].levelno == logging.WARNING
    assert "RANDOM test biLM" in messages[0].getMessage()


def test_bioelmo_small_and_user_files_are_named(caplog, tmp_path):
    small = config_variables.BIOELMO_SMALL_FILES
    user_options = tmp_path / "options.json"
    shutil.copy(TEST_BILM_OPTIONS, user_options)
    with caplog.at_level(logging.INFO):
        config_variables.log_bilm_files(small["BIOELMO_OPTIONS"], small["BIOELMO_WEIGHTS"])
        config_variables.log_bilm_files(str(user_options), None)
    small_message, user_message = [
        r.getMessage() for r in caplog.records if "BioELMo files" in r.getMessage()
    ]
    assert "BioELMo-small, the small biLM shipped with allennlp-bioelmo" in small_message
    assert "weights (from the model archive)" in user_message
    assert "BioELMo-small" not in user_message and "RANDOM" not in user_message


def test_a_missing_options_file_is_the_error_training_reports(monkeypatch, tmp_path):
    monkeypatch.delenv("BIOELMO_OUTPUT_DIM")  # the child derives it from BIOELMO_OPTIONS
    result = allennlp(
        "train",
        NER_CONFIG,
        "-s",
        str(tmp_path / "out"),
        env={"BIOELMO_OPTIONS": "/nonexistent.json"},
        check=False,
    )
    assert result.returncode != 0
    error = [line for line in result.stderr.splitlines() if line.startswith("RuntimeError")]
    assert len(error) == 1, result.stderr[-4000:]
    assert "BioELMo options file not found: /nonexistent.json" in error[0]
    assert "undefined external variable" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_broken_options_file_does_not_break_the_import_but_a_config_names_it(
    monkeypatch, tmp_path, caplog
):
    broken = tmp_path / "options.json"
    broken.write_text("{not json")
    config = os.path.join(REPOSITORY_ROOT, NER_CONFIG)
    monkeypatch.delenv("BIOELMO_OUTPUT_DIM")
    for options, problem in (
        (broken, f"BioELMo options file {broken} is not valid UTF-8 JSON"),
        (tmp_path, f"BioELMo options file {tmp_path} cannot be read"),  # a folder
    ):
        monkeypatch.setenv("BIOELMO_OPTIONS", str(options))
        with caplog.at_level(logging.WARNING):
            config_variables.set_config_variable_defaults()  # as importing the plugin does
        assert problem in caplog.records[-1].getMessage()
        with pytest.raises(RuntimeError, match="BIOELMO_OUTPUT_DIM cannot be derived") as error:
            Params.from_file(config)
        assert problem in str(error.value)
    # a child process inherits the placeholder, not a setting: with a good file it derives the width
    monkeypatch.setenv("BIOELMO_OPTIONS", TEST_BILM_OPTIONS)
    config_variables.set_config_variable_defaults()
    assert os.environ["BIOELMO_OUTPUT_DIM"] == str(
        BiLmOptions.from_file(TEST_BILM_OPTIONS).output_dim
    )
