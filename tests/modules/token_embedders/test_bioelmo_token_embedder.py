import pytest
import torch
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.modules.token_embedders import ElmoTokenEmbedder, TokenEmbedder

from allennlp_bioelmo.modules.token_embedders import BioElmoTokenEmbedder
from allennlp_bioelmo.testing.bilm_fixtures import DEFAULT_VOCABULARY, SMALL_OPTIONS
from tests.modules.bilm_test_utils import SENTENCES, char_ids, write_sized_fixture

TOLERANCE = 1e-5


@pytest.fixture
def files(tmp_path):
    return write_sized_fixture(tmp_path, SMALL_OPTIONS, seed=5)


def max_difference(a, b):
    return float((a - b).abs().max())


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"do_layer_norm": True},
        {"scalar_mix_parameters": [-9e10, 1.0, -9e10]},
    ],
)
def test_drop_in_for_elmo_token_embedder(files, extra):
    options_file, weight_file = files
    torch.manual_seed(0)
    theirs = ElmoTokenEmbedder(options_file, weight_file, dropout=0.0, **extra)
    ours = BioElmoTokenEmbedder(options_file, weight_file, dropout=0.0, **extra)
    ids = char_ids(SENTENCES)
    with torch.no_grad():
        for _ in range(2):  # AllenNLP's ELMo is stateful: reset it to compare stateless vectors
            theirs._elmo._elmo_lstm._elmo_lstm.reset_states()
            assert max_difference(ours(ids), theirs(ids)) <= TOLERANCE
    assert ours.get_output_dim() == theirs.get_output_dim()


def test_built_from_the_same_params_as_elmo_token_embedder(files):
    options_file, weight_file = files
    params = {
        "options_file": options_file,
        "weight_file": weight_file,
        "dropout": 0.0,
        "projection_dim": 7,
    }
    ours = TokenEmbedder.from_params(Params({"type": "bioelmo", **params}))
    assert isinstance(ours, BioElmoTokenEmbedder) and ours.get_output_dim() == 7
    assert ours(char_ids(SENTENCES)).shape == (5, 9, 7)


def test_paper_mix_top_average_concat(files):
    options_file, weight_file = files
    ids = char_ids(SENTENCES)
    layers = BioElmoTokenEmbedder(options_file, weight_file, dropout=0.0, layer_mix="concat")
    with torch.no_grad():
        stacked = layers(ids)
    width = 32
    per_layer = [stacked[..., k * width : (k + 1) * width] for k in range(3)]
    cases = {
        "top": (per_layer[2], {}),
        "average": ((per_layer[0] + per_layer[2]) / 2, {"layers": [0, 2]}),
        "paper": (sum(per_layer) / 3, {}),  # softmax of equal initial weights, no gamma, no norm
    }
    for mode, (expected, extra) in cases.items():
        embedder = BioElmoTokenEmbedder(
            options_file, weight_file, dropout=0.0, layer_mix=mode, **extra
        )
        assert embedder.get_output_dim() == width
        with torch.no_grad():
            assert max_difference(embedder(ids), expected) <= TOLERANCE, mode
    two = BioElmoTokenEmbedder(options_file, weight_file, layer_mix="concat", layers=[1, 2])
    assert two.get_output_dim() == 64
    paper = BioElmoTokenEmbedder(options_file, weight_file, layer_mix="paper")
    assert [n for n, p in paper.named_parameters() if p.requires_grad] == [
        "_bioelmo._mix.layer_weights"
    ]


def test_layer_mix_misconfiguration(files):
    with pytest.raises(ConfigurationError, match="layer_mix must be one of"):
        BioElmoTokenEmbedder(*files, layer_mix="sum")
    with pytest.raises(ConfigurationError, match=r"indices in \[0, 3\)"):
        BioElmoTokenEmbedder(*files, layer_mix="concat", layers=[3])
    with pytest.raises(ConfigurationError, match="need a frozen biLM"):
        BioElmoTokenEmbedder(*files, requires_grad=True, inference_dtype="bfloat16")


def test_requires_grad_controls_bilm_parameters(files):
    frozen = BioElmoTokenEmbedder(*files)
    tuned = BioElmoTokenEmbedder(*files, requires_grad=True)
    assert not any(p.requires_grad for p in frozen.bilm.parameters())
    assert all(p.requires_grad for p in tuned.bilm.parameters())


def test_vocab_file_cache_gives_identical_vectors_and_keeps_only_vocabulary_tokens(files, tmp_path):
    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_text("\n".join(DEFAULT_VOCABULARY) + "\n", encoding="utf-8")
    in_vocab = [["the", "BRCA1", "gene", "expression"], ["p53", "cancer"]]
    plain = BioElmoTokenEmbedder(*files, dropout=0.0)
    cached = BioElmoTokenEmbedder(*files, dropout=0.0, vocab_file=str(vocab_file))
    cache = cached.bilm.token_cache
    assert len(cache) == 0  # nothing computed in advance
    vocabulary = set(DEFAULT_VOCABULARY)
    hits = []
    with torch.no_grad():
        for batch in (in_vocab, SENTENCES, SENTENCES):  # all, some, then again from the cache
            assert max_difference(plain(char_ids(batch)), cached(char_ids(batch))) <= TOLERANCE
            hits.append(cache.hits)
    boundaries = {"<S>", "</S>"}
    seen = {token for sentence in in_vocab + SENTENCES for token in sentence} | boundaries
    assert len(cache) == len(seen & vocabulary) < len(seen)
    in_sentences = {token for sentence in SENTENCES for token in sentence} | boundaries
    assert hits[2] - hits[1] == len(in_sentences & vocabulary)  # every kept token found


def test_loading_new_weights_empties_the_vocab_file_cache(files, tmp_path):
    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_text("\n".join(DEFAULT_VOCABULARY) + "\n", encoding="utf-8")
    cached = BioElmoTokenEmbedder(*files, dropout=0.0, vocab_file=str(vocab_file))
    other_files = write_sized_fixture(tmp_path / "b", SMALL_OPTIONS, seed=6)
    other = BioElmoTokenEmbedder(*other_files, dropout=0.0)
    with torch.no_grad():
        cached(char_ids([["the", "gene"]]))
        assert len(cached.bilm.token_cache) > 0
        cached.load_state_dict(other.state_dict())
        assert len(cached.bilm.token_cache) == 0
        assert max_difference(cached(char_ids(SENTENCES)), other(char_ids(SENTENCES))) == 0


def test_vocab_to_cache_with_word_inputs_matches_allennlp(files):
    options_file, weight_file = files
    vocabulary = ["@@PADDING@@", "the", "BRCA1", "gene", "p53"]
    theirs = ElmoTokenEmbedder(options_file, weight_file, dropout=0.0, vocab_to_cache=vocabulary)
    ours = BioElmoTokenEmbedder(options_file, weight_file, dropout=0.0, vocab_to_cache=vocabulary)
    word_ids = torch.tensor([[1, 2, 3], [4, 0, 0]])
    chars = char_ids([["the", "BRCA1", "gene"], ["p53"]])
    with torch.no_grad():
        theirs._elmo._elmo_lstm._elmo_lstm.reset_states()
        assert max_difference(ours(chars, word_ids), theirs(chars, word_ids)) <= TOLERANCE


def test_warm_start_is_deterministic_and_differs_from_zero_state(files):
    warm = BioElmoTokenEmbedder(*files, dropout=0.0, warm_start=True)
    zero = BioElmoTokenEmbedder(*files, dropout=0.0)
    with torch.no_grad():
        alone = warm(char_ids([SENTENCES[0]]))
        batched = warm(char_ids(SENTENCES))
        assert max_difference(alone[0], batched[0]) <= TOLERANCE
        assert max_difference(warm(char_ids([SENTENCES[0]])), alone) == 0.0
        assert max_difference(zero(char_ids([SENTENCES[0]])), alone) > 1e-3
    with pytest.raises(ConfigurationError, match="stateful or warm_start"):
        BioElmoTokenEmbedder(*files, stateful=True, warm_start=True)


def test_stateful_embedder_carries_state(files):
    embedder = BioElmoTokenEmbedder(*files, dropout=0.0, stateful=True)
    ids = char_ids(SENTENCES)
    with torch.no_grad():
        first, second = embedder(ids), embedder(ids)
        embedder.reset_states()
        third = embedder(ids)
    assert max_difference(first, second) > 1e-4
    assert max_difference(first, third) == 0.0


def test_extra_leading_dimensions_are_restored(files):
    embedder = BioElmoTokenEmbedder(*files, dropout=0.0)
    ids = char_ids(SENTENCES)
    with torch.no_grad():
        flat = embedder(ids)
        nested = embedder(ids.view(1, *ids.shape))
    assert nested.shape == (1,) + flat.shape
    assert max_difference(nested[0], flat) == 0.0


def test_bfloat16_inference(files):
    plain = BioElmoTokenEmbedder(*files, dropout=0.0)
    fast = BioElmoTokenEmbedder(*files, dropout=0.0, inference_dtype="bfloat16")
    with torch.no_grad():
        output = fast(char_ids(SENTENCES))
        assert output.dtype == torch.float32
        assert max_difference(output, plain(char_ids(SENTENCES))) < 0.1
