"""
bilm-tf training checkpoint -> the `dump_weights` HDF5 layout that `bioelmo` loads (what bilm-tf's
`dump_weights` does, without TensorFlow), plus the softmax in a side file.

Renaming (the `lm/` scope is dropped; optimizer slots and `global_step` are skipped):

| checkpoint variable | HDF5 dataset |
|---|---|
| `lm/char_embed`, `lm/CNN/...`, `lm/CNN_high_k/...`, `lm/CNN_proj/...` | same name without `lm/` |
| `lm/RNN_d/rnn/multi_rnn_cell/cell_l/lstm_cell/kernel` (or `W_0`) | `RNN_d/.../LSTMCell/W_0` |
| `.../lstm_cell/bias` (or `B`) | `.../LSTMCell/B` |
| `.../lstm_cell/projection/kernel` (or `W_P_0`) | `.../LSTMCell/W_P_0` |
| `lm/softmax/W`, `lm/softmax/b` | `W`, `b` in the softmax file |
"""

import os
import re
from typing import Dict, Tuple

import numpy

from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.file_formats.bilm_weights import (
    bilm_tf_dataset_shapes,
    lstm_dataset_prefix,
    write_bilm_tf_weights,
)
from allennlp_bioelmo.file_formats.tf_checkpoint import CheckpointFormatError, TfCheckpointReader

_LSTM = re.compile(
    r"^lm/RNN_(\d)/(?:rnn|RNN)/(?:multi_rnn_cell|MultiRNNCell)/"
    r"(?:cell_|Cell)(\d+)/(?:lstm_cell|LSTMCell)/"
    r"(kernel|bias|projection/kernel|W_0|B|W_P_0)$"
)
_LSTM_NAMES = {
    "kernel": "W_0",
    "W_0": "W_0",
    "bias": "B",
    "B": "B",
    "projection/kernel": "W_P_0",
    "W_P_0": "W_P_0",
}
_SLOT = re.compile(r"/(Adagrad|Adam(_\d+)?|Momentum|ExponentialMovingAverage)$")


def checkpoint_to_bilm_arrays(
    reader: TfCheckpointReader,
) -> Tuple[Dict[str, numpy.ndarray], Dict[str, numpy.ndarray]]:
    """(biLM datasets by HDF5 name, softmax arrays) from a bilm-tf checkpoint."""
    bilm, softmax = {}, {}
    for name in reader.variables():
        if not name.startswith("lm/") or _SLOT.search(name):
            continue
        if name.startswith("lm/softmax/"):
            softmax[name[len("lm/softmax/") :]] = reader.load(name)
            continue
        match = _LSTM.match(name)
        if match:
            direction, layer, part = match.groups()
            bilm[f"{lstm_dataset_prefix(int(direction), int(layer))}/{_LSTM_NAMES[part]}"] = (
                reader.load(name)
            )
        else:
            bilm[name[len("lm/") :]] = reader.load(name)
    return bilm, softmax


def convert_checkpoint(
    checkpoint: str, options_file: str, weight_file: str, softmax_file: str
) -> Dict[str, int]:
    """Write the biLM weights and the softmax; check every dataset against the options first."""
    options = BiLmOptions.from_file(options_file)
    reader = TfCheckpointReader(checkpoint)
    bilm, softmax = checkpoint_to_bilm_arrays(reader)
    for name, shape in bilm_tf_dataset_shapes(options).items():
        if name not in bilm:
            raise CheckpointFormatError(
                f"{reader.index_file}: no variable for '{name}' (expected shape {shape})"
            )
        if tuple(bilm[name].shape) != shape:
            raise CheckpointFormatError(
                f"{reader.index_file}: '{name}' has shape {tuple(bilm[name].shape)}, options "
                f"{options_file} expect {shape}"
            )
    for path in (weight_file, softmax_file):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_bilm_tf_weights(
        weight_file,
        {name: bilm[name].astype(numpy.float32) for name in bilm_tf_dataset_shapes(options)},
    )
    if softmax:
        write_bilm_tf_weights(softmax_file, softmax)
    return {"bilm_datasets": len(bilm_tf_dataset_shapes(options)), "softmax_arrays": len(softmax)}
