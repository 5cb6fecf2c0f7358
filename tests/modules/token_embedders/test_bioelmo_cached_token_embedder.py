import json

import h5py
import pytest
import torch
from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.precomputed_vectors import embed_file
from allennlp_bioelmo.modules.token_embedders import (
    BioElmoCachedTokenEmbedder,
    BioElmoTokenEmbedder,
)
from tests.commands.cli import NER_CONFIG, allennlp_in_process
from tests.conftest import TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS
from tests.modules.bilm_test_utils import SENTENCES, char_ids

CACHED = [s for s in SENTENCES if s][:3]


@pytest.fixture
def cache_file(tmp_path):
    source = tmp_path / "sentences.txt"
    source.write_text("\n".join(" ".join(s) for s in CACHED) + "\n")
    path = tmp_path / "cache.hdf5"
    embed_file(str(source), str(path), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)
    return str(path)


def test_hits_and_misses_give_the_on_the_fly_vectors(cache_file):
    plain = BioElmoTokenEmbedder(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, dropout=0.0)
    cached = BioElmoCachedTokenEmbedder(
        TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, cache_file=cache_file, dropout=0.0
    )
    with torch.no_grad():
        for batch in (CACHED, SENTENCES):  # all cached; some missing (and an empty row)
            assert float((plain(char_ids(batch)) - cached(char_ids(batch))).abs().max()) <= 1e-5
    assert cached.hits == 3 + 3 and cached.misses == len(SENTENCES) - 3


def test_append_to_cache(cache_file):
    cached = BioElmoCachedTokenEmbedder(
        TEST_BILM_OPTIONS,
        TEST_BILM_WEIGHTS,
        cache_file=cache_file,
        append_to_cache=True,
        dropout=0.0,
    )
    new = [["entirely", "new", "sentence"]]
    with torch.no_grad():
        first = cached(char_ids(new))
        second = cached(char_ids(new))
    assert cached.misses == 1 and cached.hits == 1
    assert torch.equal(first, second)
    del cached
    with h5py.File(cache_file, "r") as handle:
        assert "entirely new sentence" in json.loads(handle["sentence_to_index"][0])


def test_incompatible_settings(cache_file, tmp_path):
    with pytest.raises(ConfigurationError, match="cannot use requires_grad"):
        BioElmoCachedTokenEmbedder(
            TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, cache_file=cache_file, requires_grad=True
        )
    top = tmp_path / "top.hdf5"
    source = tmp_path / "s.txt"
    source.write_text("p53\n")
    embed_file(str(source), str(top), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, layers="top")
    with pytest.raises(
        ConfigurationError, match="holds 'top' vectors; bioelmo_cached needs every layer"
    ):
        BioElmoCachedTokenEmbedder(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, cache_file=str(top))


def test_training_from_the_cache_gives_the_same_losses(tmp_path, monkeypatch):
    import os

    sentences = []
    for split in ("TRAIN", "DEV", "TEST"):
        words = []
        for line in open(os.environ[f"NCBI_DISEASE_{split}"], encoding="utf-8"):
            if line.strip():
                words.append(line.split("\t")[0])
            elif words:
                sentences.append(" ".join(words))
                words = []
    source = tmp_path / "corpus.txt"
    source.write_text("\n".join(sentences) + "\n")
    cache = tmp_path / "corpus.hdf5"
    embed_file(str(source), str(cache), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)

    losses = {}
    for name, cache_variable in (("on_the_fly", ""), ("cached", str(cache))):
        monkeypatch.setenv("BIOELMO_CACHE", cache_variable)
        monkeypatch.setenv("NER_EPOCHS", "3")
        out = tmp_path / name
        allennlp_in_process("train", NER_CONFIG, "-s", str(out))
        config = json.loads((out / "config.json").read_text())
        assert config["model"]["text_field_embedder"]["token_embedders"]["elmo"]["type"] == (
            "bioelmo_cached" if cache_variable else "bioelmo"
        )
        losses[name] = [
            json.loads((out / f"metrics_epoch_{e}.json").read_text())["training_loss"]
            for e in range(3)
        ]
    assert losses["cached"] == pytest.approx(losses["on_the_fly"], rel=1e-4)
