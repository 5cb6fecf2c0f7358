"""Helpers shared by the biLM tests: fixture files of several sizes and batches of char ids."""

import copy
import os
from typing import List

import torch

from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.testing.bilm_fixtures import SMALL_OPTIONS, write_bilm_fixture

THREE_LAYER_TANH = copy.deepcopy(SMALL_OPTIONS)
THREE_LAYER_TANH["char_cnn"].update({"activation": "tanh", "n_highway": 1, "n_characters": 262})
THREE_LAYER_TANH["lstm"].update(
    {"n_layers": 3, "dim": 40, "projection_dim": 12, "cell_clip": 1.5, "proj_clip": 0.5}
)

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
    return batch_to_ids(sentences)
