import pytest
import torch
from allennlp.modules.elmo import _ElmoBiLm

from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.testing.bilm_fixtures import FULL_BIOELMO_OPTIONS, SMALL_OPTIONS
from tests.modules.bilm_test_utils import SENTENCES, THREE_LAYER_TANH, char_ids, write_sized_fixture

TOLERANCE = 1e-5


def assert_same_layers(ours, theirs):
    assert torch.equal(ours["mask"], theirs["mask"])
    assert len(ours["activations"]) == len(theirs["activations"])
    for layer, (a, b) in enumerate(zip(ours["activations"], theirs["activations"])):
        assert a.shape == b.shape, f"layer {layer}"
        difference = float((a - b).abs().max())
        assert difference <= TOLERANCE, f"layer {layer}: max |ours - allennlp| = {difference}"


@pytest.fixture(params=["small", "three_layer_tanh"])
def bilm_files(request, tmp_path):
    options = SMALL_OPTIONS if request.param == "small" else THREE_LAYER_TANH
    return write_sized_fixture(tmp_path, options, seed=3)


def test_stateless_matches_allennlp_on_padded_mixed_batches(bilm_files):
    options_file, weight_file = bilm_files
    ours, theirs = BiLm.from_files(options_file, weight_file), _ElmoBiLm(options_file, weight_file)
    with torch.no_grad():
        for batch in (SENTENCES, SENTENCES[::-1], [["one"]], [[]], SENTENCES[:2]):
            theirs._elmo_lstm.reset_states()
            assert_same_layers(ours(char_ids(batch)), theirs(char_ids(batch)))


def test_stateless_is_independent_of_batch_composition(bilm_files):
    bilm = BiLm.from_files(*bilm_files)
    with torch.no_grad():
        alone = bilm(char_ids([SENTENCES[0]]))["activations"]
        bilm(char_ids(SENTENCES))
        batched = bilm(char_ids(SENTENCES))["activations"]
    for a, b in zip(alone, batched):
        assert float((a[0] - b[0, : a.shape[1]]).abs().max()) <= TOLERANCE


def test_stateful_matches_allennlp_across_batches_of_changing_size(bilm_files):
    options_file, weight_file = bilm_files
    ours = BiLm.from_files(options_file, weight_file, stateful=True)
    theirs = _ElmoBiLm(options_file, weight_file)  # AllenNLP's ELMo LSTM is always stateful
    batches = [SENTENCES, SENTENCES[:3], SENTENCES[::-1] + [["extra", "row"]], SENTENCES[1:]]
    with torch.no_grad():
        for batch in batches:
            assert_same_layers(ours(char_ids(batch)), theirs(char_ids(batch)))
    ours.reset_states()
    theirs._elmo_lstm.reset_states()
    with torch.no_grad():
        assert_same_layers(ours(char_ids(SENTENCES)), theirs(char_ids(SENTENCES)))


def test_autograd_path_gives_the_same_numbers_and_reaches_every_weight(bilm_files):
    bilm = BiLm.from_files(*bilm_files)
    ids = char_ids(SENTENCES)
    with torch.no_grad():
        expected = bilm(ids)["activations"]
    output = bilm(ids)["activations"]  # grad enabled: the out-of-place recurrence
    for a, b in zip(output, expected):
        assert float((a.detach() - b).abs().max()) <= TOLERANCE
    sum(layer.sum() for layer in output).backward()
    for name, parameter in bilm.named_parameters():
        assert parameter.grad is not None and float(parameter.grad.abs().sum()) > 0, name


def test_bfloat16_mode_stays_close_to_float32(tmp_path):
    bilm = BiLm.from_files(*write_sized_fixture(tmp_path, SMALL_OPTIONS))
    ids = char_ids(SENTENCES)
    with torch.no_grad():
        expected = bilm(ids)["activations"]
        bilm.to(torch.bfloat16)
        approximate = bilm(ids)["activations"]
    for a, b in zip(expected, approximate):
        assert b.dtype == torch.bfloat16
        assert float((a - b.float()).abs().max()) < 0.1


@pytest.mark.slow
def test_full_size_bioelmo_matches_allennlp(tmp_path):
    options_file, weight_file = write_sized_fixture(tmp_path, FULL_BIOELMO_OPTIONS, seed=7)
    ours, theirs = BiLm.from_files(options_file, weight_file), _ElmoBiLm(options_file, weight_file)
    batch = [SENTENCES[0], SENTENCES[3], [], ["p53"]]
    with torch.no_grad():
        assert_same_layers(ours(char_ids(batch)), theirs(char_ids(batch)))


def test_parallel_directions_and_prepacked_kernels_change_nothing_but_speed(bilm_files):
    """The inference speed-ups (on by default) against the plain recurrence, with 2 threads."""
    fast, plain = BiLm.from_files(*bilm_files), BiLm.from_files(*bilm_files)
    plain.lstm.parallel_directions = False
    for layer in plain.lstm.layers:
        for direction in layer:
            direction._recurrent_product.min_rows = 10**9  # never packed
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with torch.no_grad():
            for batch in (SENTENCES, [["one"]], SENTENCES[:2]):
                assert_same_layers(fast(char_ids(batch)), plain(char_ids(batch)))
    finally:
        torch.set_num_threads(threads)
