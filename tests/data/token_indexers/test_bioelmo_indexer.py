import pytest
import torch
from allennlp.data import Instance, Vocabulary
from allennlp.data.fields import TextField
from allennlp.data.token_indexers import ELMoTokenCharactersIndexer
from allennlp.data.tokenizers import Token

from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import (
    BioElmoCharacterMapper,
    BioElmoTokenCharactersIndexer,
)

WORDS = [
    "BRCA1",
    "α-helix",
    "TNFα",
    "β2-microglobulin",
    "naïve",
    "中文",
    "<S>",
    "</S>",
    "a",
    ".",
    "x" * 48,
    "y" * 49,
    "z" * 120,
    "ü" * 30,
    "🧬",
]


def _padded(indexer, words):
    field = TextField([Token(w) for w in words], {"chars": indexer})
    Instance({"tokens": field}).index_fields(Vocabulary())
    return field.as_tensor(field.get_padding_lengths())["chars"]["elmo_tokens"]


def test_ids_identical_to_allennlp_elmo_characters():
    ours, theirs = BioElmoTokenCharactersIndexer(), ELMoTokenCharactersIndexer()
    vocab = Vocabulary()
    tokens = [Token(w) for w in WORDS]
    assert ours.tokens_to_indices(tokens, vocab) == theirs.tokens_to_indices(tokens, vocab)


def test_tokens_to_add_identical_to_allennlp():
    extra = {"<<": 1, ">>": 2}
    ours = BioElmoTokenCharactersIndexer(tokens_to_add=extra)
    theirs = ELMoTokenCharactersIndexer(tokens_to_add=extra)
    tokens = [Token(w) for w in ["<<", "gene", ">>"]]
    assert ours.tokens_to_indices(tokens, Vocabulary()) == theirs.tokens_to_indices(
        tokens, Vocabulary()
    )
    assert ours.tokens_to_indices(tokens, Vocabulary())["elmo_tokens"][0][:3] == [259, 2, 260]


def test_long_token_truncated_to_48_bytes_between_word_marks():
    ids = BioElmoCharacterMapper().convert_word_to_char_ids("z" * 120)
    assert len(ids) == 50
    assert ids[0] == 259 and ids[49] == 260 and ids[1:49] == [ord("z") + 1] * 48


def test_padding_and_empty_input_match_allennlp():
    ours, theirs = BioElmoTokenCharactersIndexer(), ELMoTokenCharactersIndexer()
    assert torch.equal(_padded(ours, ["a", "bb"]), _padded(theirs, ["a", "bb"]))
    assert ours.get_empty_token_list() == {"elmo_tokens": []}
    padded = ours.as_padded_tensor_dict({"elmo_tokens": []}, {"elmo_tokens": 2})["elmo_tokens"]
    assert padded.shape == (2, 50) and int(padded.abs().sum()) == 0


def test_max_characters_per_token_configurable():
    indexer = BioElmoTokenCharactersIndexer(max_characters_per_token=10)
    ids = indexer.tokens_to_indices([Token("abcdefghijklmnop")], Vocabulary())["elmo_tokens"][0]
    assert len(ids) == 10 and ids[-1] == 260
    with pytest.raises(ValueError, match="at least 3"):
        BioElmoCharacterMapper(max_characters=2)
