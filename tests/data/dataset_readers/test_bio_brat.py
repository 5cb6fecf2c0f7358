import logging
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
        ("T1\t 0 4\tTP53\n", "a.ann, line 1: the entity type of T1 is empty"),
        ("T1\tGene 0 4\tTP53\nX1\tfoo\n", "a.ann, line 2: expected 'T<id>.* found 'X1\\\\tfoo'"),
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


def read_pair(directory, text: bytes, annotations: bytes):
    directory.mkdir(exist_ok=True)
    (directory / "a.txt").write_bytes(text)
    (directory / "a.ann").write_bytes(annotations)
    reader = BioBratDatasetReader()
    return [tagged(i) for i in reader.read(str(directory))], reader


def test_utf8_bom_in_txt_and_ann_and_crlf(tmp_path):
    text = "Mutations in BRCA1.\nTP53 too."
    ann = "T1\tGene 13 18\tBRCA1\nT2\tGene 20 24\tTP53\n"
    expected = [[("BRCA1", "B-Gene")], [("TP53", "B-Gene")]]
    assert read_pair(tmp_path / "plain", text.encode(), ann.encode())[0] == expected
    bom = b"\xef\xbb\xbf"
    # the byte-order mark is not part of the text: offsets count from after it
    assert read_pair(tmp_path / "bom", bom + text.encode(), bom + ann.encode())[0] == expected
    # CRLF in the text is two characters, as BRAT counts them
    crlf_text = text.replace("\n", "\r\n").encode()
    crlf_ann = "T1\tGene 13 18\tBRCA1\r\nT2\tGene 21 25\tTP53\r\n".encode()
    assert read_pair(tmp_path / "crlf", crlf_text, crlf_ann)[0] == expected


def test_empty_documents_and_ann_files_without_txt_are_counted_warnings(tmp_path, caplog):
    directory = tmp_path / "d"
    directory.mkdir()
    (directory / "orphan.ann").write_text("T1\tGene 0 4\tTP53\n")
    with caplog.at_level(logging.WARNING):
        assert read_pair(directory, b"", b"")[0] == []
    assert caplog.records[-1].getMessage() == (
        f"{directory}: 1 .ann files skipped: no .txt file beside them (e.g. orphan.ann); "
        "1 documents without text: they give no sentence (e.g. a); 0 sentences: no document "
        "has text, so the data gives no instances"
    )


OVERLAPPING = "overlaps a longer (or an equally long, earlier) mention"


@pytest.mark.parametrize(
    "policy, doc2, dropped",
    [
        (
            "covering",
            [("Ovarian", "B-Disease"), ("and", "I-Disease"), ("breast", "I-Disease")],
            {"Disease": {"count": 1, "reasons": {OVERLAPPING: 1}}},
        ),
        ("first_span", [("Ovarian", "B-Disease"), ("breast", "B-Disease")], {}),
        (
            "drop",
            [("breast", "B-Disease")],
            {"Disease": {"count": 1, "reasons": {"several spans (discontinuous='drop')": 1}}},
        ),
    ],
)
def test_discontinuous_policy_and_statistics(policy, doc2, dropped):
    reader = BioBratDatasetReader(discontinuous=policy)
    instances = list(reader.read(DOCS))
    assert tagged(instances[2])[: len(doc2)] == doc2
    statistics = reader.statistics.to_dict()
    assert statistics["documents"] == 2 and statistics["sentences"] == 3
    assert statistics["mentions"]["read"] == {"Disease": 4, "Gene": 2}
    assert statistics["mentions"]["dropped"] == dropped
    assert statistics["mentions"]["discontinuous"] == {"policy": policy, "count": {"Disease": 1}}
    assert reader.statistics.unbalanced_mention_types() == {}
