"""
Chemical and disease NER on BC5CDR, BioC XML release, from ../shared/data (cdr-bioc).

training_configs/ner/cdr_bioc.jsonnet trained on CDR_TrainingSet.BioC.xml, its best epoch chosen
on CDR_DevelopmentSet.BioC.xml, scored on CDR_TestSet.BioC.xml: BioELMo-small against plain word
embeddings by default (`--settings random_bilm` adds a random biLM of the same dimensions), the
same epochs each (default 20). Prints test entity F1/precision/recall overall and F1 per type
(Chemical, Disease), seconds per epoch and peak memory.

    python benchmarks/cdr_ner_real.py [--epochs 20] [--cache] [--settings bioelmo_small words]
    python benchmarks/cdr_ner_real.py --smoke     # fixture BioC document and biLM, 1 epoch
"""

import os

from harness import ROOT, SHARED
from real_corpus import main

SPLITS = {"TRAIN": "Training", "DEV": "Development", "TEST": "Test"}
FIXTURE = os.path.join(ROOT, "fixtures", "documents", "sample.bioc.xml")

if __name__ == "__main__":
    corpus = os.path.join(SHARED, "cdr-bioc")
    main(
        "training_configs/ner/cdr_bioc.jsonnet",
        {
            f"CDR_BIOC_{split}": os.path.join(corpus, f"CDR_{name}Set.BioC.xml")
            for split, name in SPLITS.items()
        },
        [
            "test_f1-measure-overall",
            "test_precision-overall",
            "test_recall-overall",
            "test__f1-measure-Chemical",
            "test__f1-measure-Disease",
        ],
        __doc__.splitlines()[1],
        epochs=20,
        smoke_env={f"CDR_BIOC_{split}": FIXTURE for split in SPLITS},
        settings=["bioelmo_small", "words"],
    )
