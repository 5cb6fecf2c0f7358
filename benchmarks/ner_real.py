"""
NER on a real corpus (NCBI-disease from ../shared/data) with training_configs/ner/ncbi_disease.jsonnet:
the bundled small random-weight biLM versus plain word embeddings. Prints test span F1, seconds
per epoch and peak memory. A pipeline check, not a claim about BioELMo.

    python benchmarks/ner_real.py [--epochs 3]
"""
import os

from real_corpus import SHARED, main

if __name__ == "__main__":
    corpus = os.path.join(SHARED, "ncbi-disease")
    main(
        "training_configs/ner/ncbi_disease.jsonnet",
        {f"NCBI_DISEASE_{split.upper()}": os.path.join(corpus, f"{split}.txt") for split in ("train", "dev", "test")},
        ["test_f1-measure-overall", "test_precision-overall", "test_recall-overall"],
        __doc__.splitlines()[1],
    )
