"""
NER on a real corpus (NCBI-disease from ../shared/data) with
training_configs/ner/ncbi_disease.jsonnet: BioELMo-small against a random biLM of the same
dimensions and against plain word embeddings, the same epochs each (default 30). Prints test
entity F1/precision/recall, seconds per epoch and peak memory.

    python benchmarks/ner_real.py [--epochs 30] [--cache] [--settings bioelmo_small words]
    python benchmarks/ner_real.py --smoke     # fixture corpus and biLM, 1 epoch
"""

import os

from harness import FIXTURE_DATA, SHARED
from real_corpus import main

SPLITS = {"train": "train.txt", "dev": "dev.txt", "test": "test.txt"}


def data_files(corpus: str) -> dict:
    return {
        f"NCBI_DISEASE_{split.upper()}": os.path.join(corpus, name)
        for split, name in SPLITS.items()
    }


if __name__ == "__main__":
    main(
        "training_configs/ner/ncbi_disease.jsonnet",
        data_files(os.path.join(SHARED, "ncbi-disease")),
        ["test_f1-measure-overall", "test_precision-overall", "test_recall-overall"],
        __doc__.splitlines()[1],
        smoke_env=data_files(os.path.join(FIXTURE_DATA, "ncbi_disease")),
    )
