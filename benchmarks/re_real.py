"""
Relation classification on a real corpus (ChemProt, SciBERT release, from ../shared/data) with
training_configs/relation/chemprot_scibert.jsonnet: BioELMo-small against plain word embeddings
(and a random biLM of the same dimensions), the same epochs each (default 20, the config's).
Prints test micro-F1, macro-F1 and accuracy, seconds per epoch and peak memory.

    python benchmarks/re_real.py [--epochs 20] [--cache] [--settings bioelmo_small words]
"""

import os

from real_corpus import SHARED, main

if __name__ == "__main__":
    corpus = os.path.join(SHARED, "chemprot")
    main(
        "training_configs/relation/chemprot_scibert.jsonnet",
        {
            f"CHEMPROT_{split.upper()}": os.path.join(corpus, f"{name}.jsonl")
            for split, name in (("train", "train"), ("dev", "dev"), ("test", "test"))
        },
        ["test_micro-f1", "test_macro-f1", "test_accuracy"],
        __doc__.splitlines()[1],
        epochs=20,
    )
