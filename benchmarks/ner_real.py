"""
NER on a real corpus (NCBI-disease from ../shared/data) with
training_configs/ner/ncbi_disease.jsonnet: BioELMo-small against a random biLM of the same
dimensions and against plain word embeddings, the same epochs each (default 30). Prints test
entity F1/precision/recall, seconds per epoch and peak memory.

    python benchmarks/ner_real.py [--epochs 30] [--cache] [--settings bioelmo_small words]
"""

import os

from real_corpus import SHARED, main

if __name__ == "__main__":
    corpus = os.path.join(SHARED, "ncbi-disease")
    files = {split: os.path.join(corpus, f"{split}.txt") for split in ("train", "dev", "test")}
    main(
        "training_configs/ner/ncbi_disease.jsonnet",
        {f"NCBI_DISEASE_{split.upper()}": path for split, path in files.items()},
        ["test_f1-measure-overall", "test_precision-overall", "test_recall-overall"],
        __doc__.splitlines()[1],
    )
