"""
Relation classification on a real corpus (ChemProt, SciBERT release, from ../shared/data) with
training_configs/relation/chemprot_scibert.jsonnet: BioELMo-small against plain word embeddings
(and a random biLM of the same dimensions), the same epochs each (default 20, the config's).
Prints test micro-F1, macro-F1 and accuracy, seconds per epoch and peak memory.

    python benchmarks/re_real.py [--epochs 20] [--cache] [--settings bioelmo_small words]
    python benchmarks/re_real.py --smoke     # 3 fixture examples (every split), fixture biLM
"""

import os

from harness import FIXTURE_DATA, SHARED
from real_corpus import main

SPLITS = ("train", "dev", "test")

if __name__ == "__main__":
    corpus = os.path.join(SHARED, "chemprot")
    fixture = os.path.join(FIXTURE_DATA, "relation", "chemprot_scibert.jsonl")
    main(
        "training_configs/relation/chemprot_scibert.jsonnet",
        {f"CHEMPROT_{split.upper()}": os.path.join(corpus, f"{split}.jsonl") for split in SPLITS},
        ["test_micro-f1", "test_macro-f1", "test_accuracy"],
        __doc__.splitlines()[1],
        epochs=20,
        smoke_env={f"CHEMPROT_{split.upper()}": fixture for split in SPLITS},
    )
