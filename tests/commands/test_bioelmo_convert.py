import json
import os

import h5py
import numpy
import pytest
import torch
from allennlp.modules.elmo import _ElmoBiLm

from tests import FIXTURES
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.file_formats.tf_checkpoint import CheckpointFormatError
from allennlp_bioelmo.file_formats.checkpoint_conversion import convert_checkpoint
from tests.commands.cli import allennlp_in_process
from tests.modules.bilm_test_utils import SENTENCES, char_ids

CHECKPOINT = os.path.join(FIXTURES, "tf_checkpoint")
OPTIONS = os.path.join(CHECKPOINT, "options.json")


@pytest.fixture
def converted(tmp_path):
    weight_file = tmp_path / "out" / "weights.hdf5"
    allennlp_in_process("bioelmo-convert", CHECKPOINT, OPTIONS, str(weight_file))
    return weight_file


def test_datasets_are_the_checkpoint_tensors_renamed(converted):
    with (
        numpy.load(os.path.join(CHECKPOINT, "expected.npz")) as expected,
        h5py.File(converted, "r") as weights,
    ):
        assert numpy.array_equal(weights["char_embed"][...], expected["lm|char_embed"])
        assert numpy.array_equal(
            weights["RNN_1/RNN/MultiRNNCell/Cell1/LSTMCell/W_0"][...],
            expected["lm|RNN_1|rnn|multi_rnn_cell|cell_1|lstm_cell|kernel"],
        )
        assert numpy.array_equal(
            weights["RNN_0/RNN/MultiRNNCell/Cell0/LSTMCell/W_P_0"][...],
            expected["lm|RNN_0|rnn|multi_rnn_cell|cell_0|lstm_cell|projection|kernel"],
        )
        assert "softmax" not in weights and "global_step" not in weights
    with (
        numpy.load(os.path.join(CHECKPOINT, "expected.npz")) as expected,
        h5py.File(str(converted).replace("weights.hdf5", "weights.softmax.hdf5"), "r") as softmax,
    ):
        assert numpy.array_equal(softmax["W"][...], expected["lm|softmax|W"]) and set(softmax) == {
            "W",
            "b",
        }


def test_converted_weights_load_in_bioelmo_and_match_allennlp(converted):
    ours, theirs = BiLm.from_files(OPTIONS, str(converted)), _ElmoBiLm(OPTIONS, str(converted))
    with torch.no_grad():
        a, b = ours(char_ids(SENTENCES)), theirs(char_ids(SENTENCES))
    for x, y in zip(a["activations"], b["activations"]):
        assert float((x - y).abs().max()) <= 1e-5


def test_options_that_disagree_with_the_checkpoint(tmp_path):
    options = json.load(open(OPTIONS))
    options["lstm"]["dim"] = 32
    path = tmp_path / "options.json"
    path.write_text(json.dumps(options))
    with pytest.raises(
        CheckpointFormatError,
        match=r"LSTMCell/W_0' has shape \(32, 96\), options .* expect \(32, 128\)",
    ):
        convert_checkpoint(
            CHECKPOINT, str(path), str(tmp_path / "w.hdf5"), str(tmp_path / "s.hdf5")
        )
