"""
The pure-Python reader against a checkpoint TensorFlow itself wrote
(scripts/make_tf_checkpoint_fixture.py).
"""

import os
import shutil

import numpy
import pytest

from tests import FIXTURES
from allennlp_bioelmo.file_formats.tf_checkpoint import CheckpointFormatError, TfCheckpointReader

CHECKPOINT = os.path.join(FIXTURES, "tf_checkpoint")
PREFIX = "model.ckpt-1234"


@pytest.fixture
def expected():
    with numpy.load(os.path.join(CHECKPOINT, "expected.npz")) as values:
        return {name.replace("|", "/"): values[name] for name in values.files}


def test_lists_and_loads_every_variable_as_tensorflow_reads_it(expected):
    reader = TfCheckpointReader(CHECKPOINT)  # directory: follows the 'checkpoint' file
    variables = reader.variables()
    assert set(variables) == set(expected) and len(variables) == 27
    assert variables["lm/RNN_1/rnn/multi_rnn_cell/cell_1/lstm_cell/kernel"] == ("float32", (32, 96))
    assert variables["global_step"] == ("int64", ())
    for name, values in expected.items():
        loaded = reader.load(name)
        assert loaded.dtype == values.dtype and numpy.array_equal(loaded, values), name


def test_prefix_and_index_paths():
    by_prefix = TfCheckpointReader(os.path.join(CHECKPOINT, PREFIX))
    by_index = TfCheckpointReader(os.path.join(CHECKPOINT, PREFIX + ".index"))
    assert by_prefix.variables() == by_index.variables()
    with pytest.raises(KeyError, match="no variable 'lm/nope'"):
        by_prefix.load("lm/nope")


@pytest.fixture
def copy(tmp_path):
    for name in (PREFIX + ".index", PREFIX + ".data-00000-of-00001"):
        shutil.copy(os.path.join(CHECKPOINT, name), tmp_path / name)
    return tmp_path


def test_corrupt_data_is_caught_by_the_checksum(copy):
    data = copy / (PREFIX + ".data-00000-of-00001")
    content = bytearray(data.read_bytes())
    reader = TfCheckpointReader(str(copy / PREFIX))
    offset = reader._entries["lm/char_embed"].offset
    content[offset + 5] ^= 0xFF
    data.write_bytes(bytes(content))
    with pytest.raises(CheckpointFormatError, match="checksum mismatch for 'lm/char_embed'"):
        reader.load("lm/char_embed")


def test_truncated_files(copy):
    data = copy / (PREFIX + ".data-00000-of-00001")
    data.write_bytes(data.read_bytes()[:100])
    reader = TfCheckpointReader(str(copy / PREFIX))
    with pytest.raises(CheckpointFormatError, match="data-00000-of-00001: truncated"):
        reader.load("lm/softmax/W")
    index = copy / (PREFIX + ".index")
    index.write_bytes(index.read_bytes()[:40])
    with pytest.raises(CheckpointFormatError, match="too short for a checkpoint index"):
        TfCheckpointReader(str(copy / PREFIX))


def test_foreign_files(tmp_path):
    foreign = tmp_path / "weights.index"
    shutil.copy(os.path.join(FIXTURES, "bilm", "weights.hdf5"), foreign)
    with pytest.raises(CheckpointFormatError, match="wrong magic number"):
        TfCheckpointReader(str(foreign))
    with pytest.raises(CheckpointFormatError, match="no such checkpoint index file"):
        TfCheckpointReader(str(tmp_path / "absent"))
    with pytest.raises(CheckpointFormatError, match="without a 'checkpoint' file"):
        TfCheckpointReader(str(tmp_path))
