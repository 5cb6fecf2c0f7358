import pytest
import torch

from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.modules.token_vector_cache import TokenVectorCache, row_key, token_key


def rows(tokens):
    return batch_to_ids([tokens])[0]


def test_row_key_matches_token_key_for_words_boundaries_and_long_tokens():
    long_token = "α" * 40  # 80 UTF-8 bytes, cut to 48 as the char CNN sees it
    tokens = ["BRCA1", "<S>", "</S>", "β-catenin", long_token, long_token[:24] + "x"]
    keys = [row_key(row.numpy()) for row in rows(tokens)]
    assert keys == [token_key(token, 50) for token in tokens]
    assert keys[4] == keys[5] and len(set(keys)) == 5  # one 48-byte prefix, one CNN input


class CountingEncoder:
    """A stand-in char CNN: the sum of each row's ids, and how many rows it was run on."""

    def __init__(self):
        self.rows = 0

    def __call__(self, ids):
        self.rows += ids.shape[0]
        return ids.sum(dim=1, keepdim=True).float().repeat(1, 3)


def test_keeps_vocabulary_tokens_up_to_max_size_least_recently_used_first():
    cache = TokenVectorCache(["a", "b", "c", "d"], max_characters=50, max_size=2)
    encoder = CountingEncoder()
    reference = CountingEncoder()

    def encode(tokens):
        ids = rows(tokens)
        got = cache.encode(ids, encoder, torch.float32)
        assert torch.equal(got, reference(ids))
        return got

    encode(["a", "b", "x"])  # x is not in the vocabulary: computed, never kept
    assert len(cache) == 2 and encoder.rows == 3
    encode(["a", "x"])  # a from the cache
    assert encoder.rows == 4 and cache.hits == 1
    encode(["c"])  # full: b, the least recently used, goes
    encode(["a", "c"])
    assert encoder.rows == 5 and cache.hits == 3
    encode(["b"])
    assert encoder.rows == 6
    encode(["a", "b", "c", "d"])  # more new tokens than room: still right, never over max_size
    assert len(cache) == 2


def test_refuses_an_empty_cache():
    with pytest.raises(ValueError, match="at least one token"):
        TokenVectorCache(["a"], max_characters=50, max_size=0)
