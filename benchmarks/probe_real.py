"""
The BioELMo paper's NER probe (training_configs/probing/bc2gm_mlp_crf.jsonnet: frozen features,
the paper's layer mix, MLP 1024-512-128-32, CRF; 10 epochs) on BC2GM from ../shared/data:
BioELMo-small against a random biLM of the same dimensions (and plain word embeddings with
`--settings words`). Prints test entity F1/precision/recall, seconds per epoch and peak memory.

    python benchmarks/probe_real.py [--epochs 10] [--cache]
    python benchmarks/probe_real.py --smoke     # fixture corpus and biLM, 1 epoch
"""

import os

from harness import FIXTURE_DATA, SHARED
from real_corpus import main

SPLITS = {"train": "train.tsv", "dev": "devel.tsv", "test": "test.tsv"}


def data_files(corpus: str) -> dict:
    return {f"BC2GM_{split.upper()}": os.path.join(corpus, name) for split, name in SPLITS.items()}


if __name__ == "__main__":
    main(
        "training_configs/probing/bc2gm_mlp_crf.jsonnet",
        data_files(os.path.join(SHARED, "bc2gm")),
        ["test_f1-measure-overall", "test_precision-overall", "test_recall-overall"],
        __doc__.splitlines()[1],
        epochs=10,
        smoke_env=data_files(os.path.join(FIXTURE_DATA, "bc2gm")),
    )
