import os

import pytest

from tests import FIXTURES
from allennlp_bioelmo.data.dataset_readers import BioBratDatasetReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError

DOCS = os.path.join(FIXTURES, "data", "brat", "docs")


def tagged(instance):
    return [
        (w, t) for w, t in zip(instance["metadata"]["words"], instance["tags"].labels) if t != "O"
    ]


def test_text_bound_annotations_and_discontinuous_rule():
    reader = BioBratDatasetReader()
    instances = list(reader.read(DOCS))
    assert [i["metadata"]["document_id"] for i in instances] == ["doc1", "doc1", "doc2"]
    assert tagged(instances[0]) == [
        ("BRCA1", "B-Gene"),
        ("breast", "B-Disease"),
        ("cancer", "I-Disease"),
    ]
    assert tagged(instances[1]) == [
        ("CFTR", "B-Gene"),
        ("cystic", "B-Disease"),
        ("fibrosis", "I-Disease"),
    ]
    # "Ovarian ... tumours" (0-7;19-26) covers 0-26; the nested "breast tumours" is dropped
    assert tagged(instances[2]) == [
        ("Ovarian", "B-Disease"),
        ("and", "I-Disease"),
        ("breast", "I-Disease"),
        ("tumours", "I-Disease"),
    ]
    assert (reader.last_counts.read, reader.last_counts.placed, reader.last_counts.overlapping) == (
        6,
        5,
        1,
    )


def write_pair(directory, text, annotations):
    directory.mkdir(exist_ok=True)
    (directory / "a.txt").write_text(text)
    (directory / "a.ann").write_text(annotations)
    return str(directory)


@pytest.mark.parametrize(
    "annotations, message",
    [
        (
            "T1\tGene 0 4\tBRCA\n",
            "a.ann, line 1: mention text 'BRCA' differs from the text at 0-4: 'TP53'",
        ),
        ("T1\tGene 0 40\tTP53\n", "a.ann, line 1: offsets 0-40 lie beyond the text"),
        ("T1\tGene zero 4\tTP53\n", "a.ann, line 1: unparseable offsets 'zero 4'"),
        ("T1\tGene\n", "a.ann, line 1: expected 'T<id>"),
    ],
)
def test_malformed_annotations(tmp_path, annotations, message):
    directory = write_pair(tmp_path / "d", "TP53 is mutated.", annotations)
    with pytest.raises(DataFormatError, match=message):
        list(BioBratDatasetReader().read(directory))


def test_missing_ann_and_not_a_directory(tmp_path):
    directory = tmp_path / "d"
    directory.mkdir()
    (directory / "a.txt").write_text("text")
    with pytest.raises(DataFormatError, match="a.txt: no annotation file a.ann beside it"):
        list(BioBratDatasetReader().read(str(directory)))
    with pytest.raises(DataFormatError, match="expects a directory"):
        list(BioBratDatasetReader().read(str(directory / "a.txt")))
