"""
Every reader splits its instances over data-loader workers without dropping or duplicating any.
"""

import os

import pytest
from allennlp.data.dataset_readers.dataset_reader import WorkerInfo

from tests import FIXTURES
from allennlp_bioelmo.data.dataset_readers import (
    BioBratDatasetReader,
    BioConllDatasetReader,
    BioNliDatasetReader,
    BioPubtatorDatasetReader,
    BioRelationDatasetReader,
)

DATA = os.path.join(FIXTURES, "data")
CASES = [
    (BioConllDatasetReader, "ncbi_disease/train.txt"),
    (BioPubtatorDatasetReader, "pubtator/sample.PubTator.txt"),
    (BioBratDatasetReader, "brat/docs"),
    (BioRelationDatasetReader, "relation/chemprot_scibert.jsonl"),
    (BioRelationDatasetReader, "relation/dygie.jsonl"),
    (BioNliDatasetReader, "mednli/sample.jsonl"),
]


def fingerprint(instance):
    return repr(
        sorted(
            (name, repr(getattr(field, "metadata", None) or field.human_readable_repr()))
            for name, field in instance.fields.items()
        )
    )


@pytest.mark.parametrize("reader_class, path", CASES)
def test_workers_partition_the_instances(reader_class, path):
    everything = [fingerprint(i) for i in reader_class().read(os.path.join(DATA, path))]
    shards = []
    for worker in range(2):
        reader = reader_class()
        reader._set_worker_info(WorkerInfo(num_workers=2, id=worker))
        shards.append([fingerprint(i) for i in reader.read(os.path.join(DATA, path))])
    assert shards[0] and shards[1]
    assert sorted(shards[0] + shards[1]) == sorted(everything)
