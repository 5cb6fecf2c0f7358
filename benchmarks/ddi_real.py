"""
DDI-2013 drug-drug interactions: development micro-F1 over the four interaction types, and per type.

training_configs/relation/ddi_xml.jsonnet on the original XML of the training part in
../shared/data (ddi-2013-xml/Train; the test part is not there): the config takes its development
split by document from the training documents (10%, by a stable hash of the document id), trains
on the rest, chooses the best epoch on the development split and scores it again as the "test"
figures. BioELMo-small against plain word embeddings (`--settings random_bilm` adds a random biLM
of the same dimensions), the same epochs each (default 5). Micro precision/recall/F1 are over
mechanism, effect, advise and int, the negative pairs (NONE, ddi="false") excluded, as DDI-2013
scores them; F1 per type. First, without training: the documents of each split and the
development pairs by label. Prints seconds per epoch and peak memory too.

    python benchmarks/ddi_real.py [--epochs 5] [--cache] [--settings bioelmo_small words]
    python benchmarks/ddi_real.py --smoke     # 7 fixture DDI documents, fixture biLM, 1 epoch
"""

import os
from collections import Counter

from harness import ROOT, SHARED
from real_corpus import main

TYPES = ["mechanism", "effect", "advise", "int"]
SCORES = ["test_micro-f1", "test_micro-precision", "test_micro-recall"] + [
    f"test__f1-{name}" for name in TYPES
]
SPLITS = ("TRAIN", "DEV", "TEST")


def split_counts(config: str) -> list:
    """The documents of the training and development splits, and the development pairs by label."""
    from allennlp.common import Params
    from allennlp.data import DatasetReader

    params = Params.from_file(os.path.join(ROOT, config))
    reader_params = params.get("validation_dataset_reader", params["dataset_reader"])
    counts = {}
    for key in ("train_data_path", "validation_data_path"):
        reader = DatasetReader.from_params(reader_params.duplicate())
        labels = Counter(instance["label"].label for instance in reader.read(params[key]))
        counts[key] = reader.statistics.documents, labels
    (train_documents, _), (dev_documents, labels) = counts.values()
    pairs = ", ".join(f"{label} {labels[label]:,}" for label in TYPES + ["NONE"])
    return [
        f"{train_documents:,} training and {dev_documents:,} development documents;"
        f" development pairs: {pairs}"
    ]


if __name__ == "__main__":
    fixture = os.path.join(ROOT, "fixtures", "documents", "ddi_relations")
    main(
        "training_configs/relation/ddi_xml.jsonnet",
        {f"DDI_XML_{split}": os.path.join(SHARED, "ddi-2013-xml", "Train") for split in SPLITS},
        SCORES,
        __doc__.splitlines()[1],
        epochs=5,
        smoke_env={f"DDI_XML_{split}": fixture for split in SPLITS},
        report=split_counts,
        settings=["bioelmo_small", "words"],
    )
