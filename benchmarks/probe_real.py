"""
The BioELMo paper's NER probe (training_configs/probing/bc2gm_mlp_crf.jsonnet: frozen features,
the paper's layer mix, MLP 1024-512-128-32, CRF; 10 epochs) on BC2GM from ../shared/data:
BioELMo-small against a random biLM of the same dimensions (and plain word embeddings with
`--settings words`). Prints test entity F1/precision/recall, seconds per epoch and peak memory.

    python benchmarks/probe_real.py [--epochs 10] [--cache]
"""

import os

from real_corpus import SHARED, main

if __name__ == "__main__":
    corpus = os.path.join(SHARED, "bc2gm")
    files = {"train": "train.tsv", "dev": "devel.tsv", "test": "test.tsv"}
    files = {split: os.path.join(corpus, name) for split, name in files.items()}
    main(
        "training_configs/probing/bc2gm_mlp_crf.jsonnet",
        {f"BC2GM_{split.upper()}": path for split, path in files.items()},
        ["test_f1-measure-overall", "test_precision-overall", "test_recall-overall"],
        __doc__.splitlines()[1],
        epochs=10,
    )
