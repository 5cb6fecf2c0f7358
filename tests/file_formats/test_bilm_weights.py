import h5py
import numpy
import pytest
from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.file_formats.bilm_weights import (
    bilm_order_to_tf_gates,
    load_bilm_tf_weights,
    tf_gates_to_bilm_order,
)
from allennlp_bioelmo.testing.bilm_fixtures import SMALL_OPTIONS, write_bilm_fixture

LSTM_KERNEL = "RNN_1/RNN/MultiRNNCell/Cell1/LSTMCell/W_0"


@pytest.fixture
def files(tmp_path):
    return write_bilm_fixture(str(tmp_path), SMALL_OPTIONS, seed=1)[:2]


def test_gate_reordering_round_trips():
    array = numpy.arange(4 * 3 * 2).reshape(2, 12)
    assert numpy.array_equal(bilm_order_to_tf_gates(tf_gates_to_bilm_order(array, 3), 3), array)


def test_forget_bias_is_added_and_weights_transposed(files):
    options_file, weight_file = files
    options = BiLmOptions.from_file(options_file)
    state = load_bilm_tf_weights(weight_file, options)
    with h5py.File(weight_file, "r") as handle:
        tf_bias = handle["RNN_0/RNN/MultiRNNCell/Cell0/LSTMCell/B"][...]
        tf_projection = handle["RNN_0/RNN/MultiRNNCell/Cell0/LSTMCell/W_P_0"][...]
    cell = options.lstm_dim
    ours = state["lstm.layers.0.0.bias"].numpy()
    numpy.testing.assert_allclose(
        ours[cell : 2 * cell], tf_bias[2 * cell : 3 * cell] + 1.0, rtol=1e-6
    )
    numpy.testing.assert_array_equal(ours[3 * cell :], tf_bias[cell : 2 * cell])
    numpy.testing.assert_array_equal(
        state["lstm.layers.0.0.projection_kernel"].numpy(), tf_projection
    )


def test_every_parameter_is_loaded(files):
    bilm = BiLm.from_files(*files)
    state = load_bilm_tf_weights(files[1], bilm.options)
    assert set(state) == set(bilm.state_dict())


def _rewrite(weight_file, name, values=None):
    with h5py.File(weight_file, "a") as handle:
        del handle[name]
        if values is not None:
            handle.create_dataset(name, data=values)


def test_missing_dataset_is_named(files):
    options_file, weight_file = files
    _rewrite(weight_file, LSTM_KERNEL)
    with pytest.raises(
        ConfigurationError,
        match=f"has no dataset '{LSTM_KERNEL}' \\(expected shape \\(32, 96\\)\\)",
    ) as error:
        BiLm.from_files(options_file, weight_file)
    assert weight_file in str(error.value)


def test_shape_disagreeing_with_options_is_named(files):
    options_file, weight_file = files
    _rewrite(weight_file, "CNN/W_cnn_2", numpy.zeros((1, 3, 4, 9), dtype=numpy.float32))
    with pytest.raises(
        ConfigurationError,
        match=r"dataset 'CNN/W_cnn_2' has shape \(1, 3, 4, 9\), "
        r"but options .* expect \(1, 3, 4, 8\)",
    ):
        BiLm.from_files(options_file, weight_file)


def test_extra_lstm_layer_in_weights_is_rejected(tmp_path, files):
    options_file, weight_file = files
    with h5py.File(weight_file, "a") as handle:
        handle.create_dataset(
            "RNN_0/RNN/MultiRNNCell/Cell2/LSTMCell/W_0", data=numpy.zeros((32, 96))
        )
    with pytest.raises(ConfigurationError, match="more LSTM layers than the 2"):
        BiLm.from_files(options_file, weight_file)


def test_not_hdf5_and_missing_file(tmp_path, files):
    options_file, _ = files
    fake = tmp_path / "weights.txt"
    fake.write_text("not hdf5")
    with pytest.raises(ConfigurationError, match="weights.txt is not an HDF5 file"):
        BiLm.from_files(options_file, str(fake))
    with pytest.raises(ConfigurationError, match="weight file not found: .*absent.hdf5"):
        BiLm.from_files(options_file, str(tmp_path / "absent.hdf5"))
