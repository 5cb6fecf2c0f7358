import copy
import json
import logging

import pytest
from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.testing.bilm_fixtures import FULL_BIOELMO_OPTIONS, SMALL_OPTIONS


def options_with(change):
    options = copy.deepcopy(SMALL_OPTIONS)
    change(options)
    return options


def test_training_options_are_accepted_and_261_characters_adjusted(caplog):
    caplog.set_level(logging.INFO)
    options = BiLmOptions.from_dict(FULL_BIOELMO_OPTIONS, source="options.json")
    assert options.n_characters == 262
    assert "n_characters is 261" in caplog.text
    assert options.output_dim == 1024 and options.n_filters == 2048
    # ELMo 2x4096_512_2048cnn_2xhighway has 93.6M biLM parameters
    assert options.parameter_count() == 93_600_864


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda o: o["lstm"].pop("dim"), r"missing key\(s\) \['lstm.dim'\]"),
        (
            lambda o: o["lstm"].update(projection_clip=3),
            r"unknown key\(s\) \['lstm.projection_clip'\]",
        ),
        (lambda o: o.update(vocab_size=3), r"unknown key\(s\) \['vocab_size'\]"),
        (lambda o: o.pop("char_cnn"), "missing section 'char_cnn'"),
        (lambda o: o["char_cnn"].update(n_characters=300), "must be 261 or 262, found 300"),
        (lambda o: o["char_cnn"].update(activation="gelu"), "'relu' or 'tanh', found 'gelu'"),
        (lambda o: o["lstm"].pop("use_skip_connections"), "use_skip_connections' is missing"),
        (lambda o: o["char_cnn"].update(filters=[[1]]), "list of \\[width, number\\] pairs"),
    ],
)
def test_bad_options_name_file_and_key(change, message):
    with pytest.raises(ConfigurationError, match=message) as error:
        BiLmOptions.from_dict(options_with(change), source="/data/options.json")
    assert "/data/options.json" in str(error.value)


def test_missing_and_malformed_options_files(tmp_path):
    with pytest.raises(ConfigurationError, match="options file not found: .*nope.json"):
        BiLmOptions.from_file(str(tmp_path / "nope.json"))
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"lstm": \xff}')
    with pytest.raises(ConfigurationError, match="bad.json is not valid UTF-8 JSON"):
        BiLmOptions.from_file(str(bad))


def test_round_trip_through_json(tmp_path):
    options = BiLmOptions.from_dict(SMALL_OPTIONS)
    path = tmp_path / "options.json"
    path.write_text(json.dumps(options.to_dict()))
    again = BiLmOptions.from_file(str(path))
    assert again.to_dict() == options.to_dict()
