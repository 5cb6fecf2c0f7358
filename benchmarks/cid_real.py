"""
BC5CDR chemical-induced disease (CID) relations, document-level P/R/F1 on the CDR test set.

training_configs/relation/cdr_cid.jsonnet on the BioC XML release in ../shared/data (cdr-bioc):
trained on CDR_TrainingSet.BioC.xml, its best epoch chosen on CDR_DevelopmentSet.BioC.xml by
document-level F1, scored on CDR_TestSet.BioC.xml, BioELMo-small against plain word embeddings
(`--settings random_bilm` adds a random biLM of the same dimensions), the same epochs each
(default 15). First, without training: how many test CID relations no instance can reach (their
concepts never share a sentence; they cap recall), and the co-occurrence baseline, every candidate
pair predicted CID. Prints document-level F1/precision/recall and instance-level micro-F1, seconds
per epoch and peak memory.

    python benchmarks/cid_real.py [--epochs 15] [--cache] [--settings bioelmo_small words]
    python benchmarks/cid_real.py --smoke     # fixture BC5CDR-style documents and biLM, 1 epoch
"""

import os

from harness import ROOT, SHARED
from real_corpus import main

SPLITS = {"TRAIN": "Training", "DEV": "Development", "TEST": "Test"}
SCORES = ["test_document-f1", "test_document-precision", "test_document-recall", "test_micro-f1"]
FIXTURES = os.path.join(ROOT, "fixtures", "documents", "cdr_cid")
BASELINE = "co-occurrence (every pair is CID)"


def cooccurrence_baseline(config: str) -> list:
    """
    The test file read with the config's reader, every instance predicted CID and scored as the
    model's test metrics are (`document_relation_f1`, `label_f1`); and the unreachable relations.
    """
    from allennlp.common import Params
    from allennlp.data import DatasetReader

    from allennlp_bioelmo.training.metrics.document_relation_f1 import DocumentRelationF1
    from allennlp_bioelmo.training.metrics.label_f1 import LabelF1

    params = Params.from_file(os.path.join(ROOT, config))
    reader_params = params.get("validation_dataset_reader", params["dataset_reader"])
    reader = DatasetReader.from_params(reader_params.duplicate())
    negative = reader_params.get("negative_label", "NONE")
    instances = list(reader.read(params["test_data_path"]))
    metadata = [instance["metadata"].metadata for instance in instances]
    documents, labels = DocumentRelationF1(negative), LabelF1(negative)
    documents(["CID"] * len(instances), metadata)
    labels(["CID"] * len(instances), [instance["label"].label for instance in instances])
    metrics = {f"test_document-{key}": value for key, value in documents.get_metric().items()}
    metrics["test_micro-f1"] = labels.get_metric()["micro-f1"]
    gold = {
        (document, *relation)
        for item in metadata
        for document, relations in item["gold_relations"].items()
        for relation in relations
    }
    unreachable = reader.statistics.relations_unreachable.get("CID", {})
    reasons = "; ".join(f"{reason}: {count}" for reason, count in sorted(unreachable.items()))
    scores = "  ".join(f"{key} {metrics[key]:.3f}" for key in SCORES)
    return [
        f"test set: {len(gold):,} gold CID relations, {sum(unreachable.values()):,} unreachable"
        f" ({reasons or 'none'}); {len(instances):,} candidate pairs",
        f"{BASELINE:<34} {scores}  (no training)",
    ]


if __name__ == "__main__":
    corpus = os.path.join(SHARED, "cdr-bioc")
    main(
        "training_configs/relation/cdr_cid.jsonnet",
        {
            f"CDR_CID_{split}": os.path.join(corpus, f"CDR_{name}Set.BioC.xml")
            for split, name in SPLITS.items()
        },
        SCORES,
        __doc__.splitlines()[1],
        epochs=15,
        # the config's own fixture defaults: the PubTator copy of the same documents for dev
        smoke_env={
            "CDR_CID_TRAIN": os.path.join(FIXTURES, "sample.BioC.xml"),
            "CDR_CID_DEV": os.path.join(FIXTURES, "sample.PubTator.txt"),
            "CDR_CID_TEST": os.path.join(FIXTURES, "sample.BioC.xml"),
        },
        report=cooccurrence_baseline,
        settings=["bioelmo_small", "words"],
    )
