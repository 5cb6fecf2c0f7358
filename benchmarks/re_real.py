"""
Relation classification on a real corpus (ChemProt, SciBERT release, from ../shared/data) with
training_configs/relation/chemprot_scibert.jsonnet: the bundled small random-weight biLM versus
plain word embeddings. Prints test micro-F1, seconds per epoch and peak memory. A pipeline check,
not a claim about BioELMo.

    python benchmarks/re_real.py [--epochs 3]
"""
import os

from real_corpus import SHARED, main

if __name__ == "__main__":
    corpus = os.path.join(SHARED, "chemprot")
    main(
        "training_configs/relation/chemprot_scibert.jsonnet",
        {f"CHEMPROT_{split.upper()}": os.path.join(corpus, f"{name}.jsonl")
         for split, name in (("train", "train"), ("dev", "dev"), ("test", "test"))},
        ["test_micro-f1", "test_macro-f1", "test_accuracy"],
        __doc__.splitlines()[1],
    )
