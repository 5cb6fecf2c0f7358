"""
Reading and writing the HDF5 weight file that bilm-tf's `dump_weights` writes (the released
BioELMo `weights`).

Layout (`d` = direction, 0 forward / 1 backward; `l` = LSTM layer; `i` = CNN filter; `k` = highway):

| dataset | shape |
|---|---|
| `char_embed` | (n_characters - 1, char_dim): no row for the padding id 0 |
| `CNN/W_cnn_i`, `CNN/b_cnn_i` | (1, width_i, char_dim, num_i), (num_i,) |
| `CNN_high_k/W_transform`, `W_carry` | (n_filters, n_filters) |
| `CNN_high_k/b_transform`, `b_carry` | (n_filters,) |
| `CNN_proj/W_proj`, `b_proj` | (n_filters, projection_dim), (projection_dim,); absent if equal |
| `RNN_d/RNN/MultiRNNCell/Cell<l>/LSTMCell/W_0` | (2 * projection_dim, 4 * dim), gates i, j, f, o |
| `.../LSTMCell/B` | (4 * dim,), without TF's forget bias of +1 (LSTMCell adds it at run time) |
| `.../LSTMCell/W_P_0` | (dim, projection_dim) |

The loader returns a state dict for `BiLm` so that loading is separate from the math.
"""

import logging
import os
from collections import OrderedDict
from typing import Dict, Tuple

import numpy
import torch
from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions

logger = logging.getLogger(__name__)

# TF's LSTMCell adds this to the forget gate's pre-activation; it is not stored in `B`.
TF_FORGET_BIAS = 1.0


def lstm_dataset_prefix(direction: int, layer: int) -> str:
    """HDF5 group of LSTM `layer` of `direction` (0 forward, 1 backward) in bilm-tf's layout."""
    return f"RNN_{direction}/RNN/MultiRNNCell/Cell{layer}/LSTMCell"


def bilm_tf_dataset_shapes(options: BiLmOptions) -> Dict[str, Tuple[int, ...]]:
    """Every dataset a bilm-tf weight file for these options holds, with its shape."""
    shapes: Dict[str, Tuple[int, ...]] = OrderedDict()
    char_dim = options.char_embedding_dim
    shapes["char_embed"] = (options.n_characters - 1, char_dim)
    for i, (width, num) in enumerate(options.filters):
        shapes[f"CNN/W_cnn_{i}"] = (1, width, char_dim, num)
        shapes[f"CNN/b_cnn_{i}"] = (num,)
    n_filters = options.n_filters
    for k in range(options.n_highway):
        for name in ("transform", "carry"):
            shapes[f"CNN_high_{k}/W_{name}"] = (n_filters, n_filters)
            shapes[f"CNN_high_{k}/b_{name}"] = (n_filters,)
    if n_filters != options.projection_dim:
        shapes["CNN_proj/W_proj"] = (n_filters, options.projection_dim)
        shapes["CNN_proj/b_proj"] = (options.projection_dim,)
    proj, cell = options.projection_dim, options.lstm_dim
    for direction in (0, 1):
        for layer in range(options.n_layers):
            prefix = lstm_dataset_prefix(direction, layer)
            shapes[f"{prefix}/W_0"] = (proj + proj, 4 * cell)
            shapes[f"{prefix}/B"] = (4 * cell,)
            shapes[f"{prefix}/W_P_0"] = (cell, proj)
    return shapes


def _gate_blocks(array: numpy.ndarray, cell_size: int):
    return [array[..., n * cell_size : (n + 1) * cell_size] for n in range(4)]


def tf_gates_to_bilm_order(array: numpy.ndarray, cell_size: int) -> numpy.ndarray:
    """
    Reorder the gate blocks along the last axis from TF's (i, j, f, o) to ours (i, f, o, j):
    the three sigmoid gates become contiguous, so one sigmoid call covers them.
    """
    i, j, f, o = _gate_blocks(array, cell_size)
    return numpy.concatenate([i, f, o, j], axis=-1)


def bilm_order_to_tf_gates(array: numpy.ndarray, cell_size: int) -> numpy.ndarray:
    """Inverse of `tf_gates_to_bilm_order`."""
    i, f, o, j = _gate_blocks(array, cell_size)
    return numpy.concatenate([i, j, f, o], axis=-1)


def read_bilm_tf_datasets(weight_file: str, options: BiLmOptions) -> Dict[str, numpy.ndarray]:
    """
    Read and validate every dataset the options call for. Errors name the file, the dataset and the
    expected and found shapes.
    """
    import h5py

    if not os.path.exists(weight_file):
        raise ConfigurationError(f"BioELMo weight file not found: {weight_file}")
    try:
        handle = h5py.File(weight_file, "r")
    except OSError as error:
        raise ConfigurationError(
            f"BioELMo weight file {weight_file} is not an HDF5 file (bilm-tf dump_weights layout "
            f"expected): {error}"
        )
    arrays: Dict[str, numpy.ndarray] = {}
    with handle:
        for name, expected in bilm_tf_dataset_shapes(options).items():
            if name not in handle:
                raise ConfigurationError(
                    f"BioELMo weight file {weight_file} has no dataset '{name}' (expected shape "
                    f"{expected}) that options {options.source} call for"
                )
            dataset = handle[name]
            if not hasattr(dataset, "shape"):
                raise ConfigurationError(
                    f"BioELMo weight file {weight_file}: '{name}' is a group, expected a dataset "
                    f"of shape {expected}"
                )
            if tuple(dataset.shape) != expected:
                raise ConfigurationError(
                    f"BioELMo weight file {weight_file}: dataset '{name}' has shape "
                    f"{tuple(dataset.shape)}, but options {options.source} expect {expected}"
                )
            arrays[name] = numpy.asarray(dataset[...], dtype=numpy.float32)
        if options.n_layers < 8 and lstm_dataset_prefix(0, options.n_layers) in handle:
            raise ConfigurationError(
                f"BioELMo weight file {weight_file} has more LSTM layers than the "
                f"{options.n_layers} that options {options.source} say"
            )
    return arrays


def write_bilm_tf_weights(weight_file: str, arrays: Dict[str, numpy.ndarray]) -> None:
    """Write arrays under their slash-separated names as nested HDF5 groups, as bilm-tf does."""
    import h5py

    with h5py.File(weight_file, "w") as handle:
        for name, values in arrays.items():
            handle.create_dataset(name, data=values)


def read_softmax_weights(
    softmax_file: str, vocab_size: int, dim: int
) -> Tuple[numpy.ndarray, numpy.ndarray]:
    """
    The softmax side file (`W` `(vocab_size, dim)`, `b` `(vocab_size,)`) that `bioelmo-convert` and
    `bioelmo-finetune` write next to the weights; errors name the file, dataset and shapes.
    """
    import h5py

    if not os.path.exists(softmax_file):
        raise ConfigurationError(f"softmax file not found: {softmax_file}")
    try:
        handle = h5py.File(softmax_file, "r")
    except OSError as error:
        raise ConfigurationError(f"softmax file {softmax_file} is not an HDF5 file: {error}")
    with handle:
        arrays = []
        for name, expected in (("W", (vocab_size, dim)), ("b", (vocab_size,))):
            if name not in handle:
                raise ConfigurationError(
                    f"softmax file {softmax_file} has no dataset '{name}' (expected shape "
                    f"{expected})"
                )
            if tuple(handle[name].shape) != expected:
                raise ConfigurationError(
                    f"softmax file {softmax_file}: dataset '{name}' has shape "
                    f"{tuple(handle[name].shape)}, expected {expected} (vocabulary size x "
                    "projection_dim)"
                )
            arrays.append(numpy.asarray(handle[name][...], dtype=numpy.float32))
    return arrays[0], arrays[1]


def load_bilm_tf_weights(weight_file: str, options: BiLmOptions) -> Dict[str, torch.Tensor]:
    """
    Convert a bilm-tf weight file into a state dict for `allennlp_bioelmo.modules.bilm.BiLm`.
    """
    arrays = read_bilm_tf_datasets(weight_file, options)
    state: Dict[str, torch.Tensor] = OrderedDict()

    char_embed = numpy.zeros((options.n_characters, options.char_embedding_dim), numpy.float32)
    char_embed[1:] = arrays["char_embed"]  # id 0 is the padded-token id, embedded as zeros
    state["character_encoder.char_embedding.weight"] = torch.from_numpy(char_embed)
    for i in range(len(options.filters)):
        # TF conv2d kernel (1, width, in, out) -> torch conv1d (out, in, width)
        kernel = arrays[f"CNN/W_cnn_{i}"][0].transpose(2, 1, 0)
        state[f"character_encoder.convolutions.{i}.weight"] = torch.from_numpy(
            numpy.ascontiguousarray(kernel)
        )
        state[f"character_encoder.convolutions.{i}.bias"] = torch.from_numpy(
            arrays[f"CNN/b_cnn_{i}"]
        )
    for k in range(options.n_highway):
        weight = numpy.concatenate(
            [arrays[f"CNN_high_{k}/W_transform"].T, arrays[f"CNN_high_{k}/W_carry"].T], axis=0
        )
        bias = numpy.concatenate(
            [arrays[f"CNN_high_{k}/b_transform"], arrays[f"CNN_high_{k}/b_carry"]]
        )
        state[f"character_encoder.highways.{k}.weight"] = torch.from_numpy(
            numpy.ascontiguousarray(weight)
        )
        state[f"character_encoder.highways.{k}.bias"] = torch.from_numpy(bias)
    if "CNN_proj/W_proj" in arrays:
        state["character_encoder.projection.weight"] = torch.from_numpy(
            numpy.ascontiguousarray(arrays["CNN_proj/W_proj"].T)
        )
        state["character_encoder.projection.bias"] = torch.from_numpy(arrays["CNN_proj/b_proj"])

    proj, cell = options.projection_dim, options.lstm_dim
    for direction in (0, 1):
        for layer in range(options.n_layers):
            prefix = lstm_dataset_prefix(direction, layer)
            kernel = tf_gates_to_bilm_order(arrays[f"{prefix}/W_0"], cell)  # (in + proj, 4c)
            bias = tf_gates_to_bilm_order(arrays[f"{prefix}/B"], cell)
            bias[cell : 2 * cell] += TF_FORGET_BIAS  # forget block in our (i, f, o, j) order
            name = f"lstm.layers.{layer}.{direction}"
            state[f"{name}.input_kernel"] = torch.from_numpy(numpy.ascontiguousarray(kernel[:proj]))
            state[f"{name}.recurrent_kernel"] = torch.from_numpy(
                numpy.ascontiguousarray(kernel[proj:])
            )
            state[f"{name}.bias"] = torch.from_numpy(bias)
            state[f"{name}.projection_kernel"] = torch.from_numpy(arrays[f"{prefix}/W_P_0"])
    logger.info("Loaded BioELMo weights from %s", weight_file)
    return state


def bilm_state_to_tf_arrays(
    state: Dict[str, torch.Tensor], options: BiLmOptions
) -> Dict[str, numpy.ndarray]:
    """
    The inverse of `load_bilm_tf_weights`: a `BiLm` state dict as the datasets of bilm-tf's
    `dump_weights` layout, ready for `write_bilm_tf_weights`.
    """
    state = {name: value.detach().cpu().float().numpy() for name, value in state.items()}
    arrays = {"char_embed": state["character_encoder.char_embedding.weight"][1:]}
    for i in range(len(options.filters)):
        kernel = state[f"character_encoder.convolutions.{i}.weight"]
        arrays[f"CNN/W_cnn_{i}"] = kernel.transpose(2, 1, 0)[None]
        arrays[f"CNN/b_cnn_{i}"] = state[f"character_encoder.convolutions.{i}.bias"]
    n = options.n_filters
    for k in range(options.n_highway):
        weight = state[f"character_encoder.highways.{k}.weight"]
        bias = state[f"character_encoder.highways.{k}.bias"]
        arrays[f"CNN_high_{k}/W_transform"], arrays[f"CNN_high_{k}/W_carry"] = (
            weight[:n].T,
            weight[n:].T,
        )
        arrays[f"CNN_high_{k}/b_transform"], arrays[f"CNN_high_{k}/b_carry"] = bias[:n], bias[n:]
    if "character_encoder.projection.weight" in state:
        arrays["CNN_proj/W_proj"] = state["character_encoder.projection.weight"].T
        arrays["CNN_proj/b_proj"] = state["character_encoder.projection.bias"]
    cell = options.lstm_dim
    for direction in (0, 1):
        for layer in range(options.n_layers):
            name, prefix = f"lstm.layers.{layer}.{direction}", lstm_dataset_prefix(direction, layer)
            kernel = numpy.concatenate(
                [state[f"{name}.input_kernel"], state[f"{name}.recurrent_kernel"]], axis=0
            )
            bias = state[f"{name}.bias"].copy()
            bias[cell : 2 * cell] -= TF_FORGET_BIAS
            arrays[f"{prefix}/W_0"] = bilm_order_to_tf_gates(kernel, cell)
            arrays[f"{prefix}/B"] = bilm_order_to_tf_gates(bias, cell)
            arrays[f"{prefix}/W_P_0"] = state[f"{name}.projection_kernel"]
    return {
        name: numpy.ascontiguousarray(value, dtype=numpy.float32) for name, value in arrays.items()
    }
