"""Helpers shared by the biLM tests: fixture files of several sizes and batches of char ids."""
import copy
import os
from typing import List

import torch

from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoCharacterMapper
from allennlp_bioelmo.testing.bilm_fixtures import SMALL_OPTIONS, write_bilm_fixture

THREE_LAYER_TANH = copy.deepcopy(SMALL_OPTIONS)
THREE_LAYER_TANH["char_cnn"].update({"activation": "tanh", "n_highway": 1, "n_characters": 262})
THREE_LAYER_TANH["lstm"].update({"n_layers": 3, "dim": 40, "projection_dim": 12, "cell_clip": 1.5, "proj_clip": 0.5})

SENTENCES = [
    ["Germline", "mutations", "in", "BRCA1", "predispose", "to", "breast", "cancer", "."],
    ["p53"],
    [],
    ["α-helix", "of", "TNFα", "(", "0.05", ")", "x" * 70],
    ["IL", "-", "2"],
]


def write_sized_fixture(directory: str, options: dict, seed: int = 0):
    return write_bilm_fixture(os.path.join(str(directory)), options, seed=seed)[:2]


def char_ids(sentences: List[List[str]]) -> torch.Tensor:
    mapper = BioElmoCharacterMapper()
    ids = torch.zeros(len(sentences), max(1, max(len(s) for s in sentences)), 50, dtype=torch.long)
    for row, sentence in enumerate(sentences):
        for column, word in enumerate(sentence):
            ids[row, column] = torch.tensor(mapper.convert_word_to_char_ids(word))
    return ids
