import os

import pytest

from tests import FIXTURES
from allennlp_bioelmo.data.dataset_readers import BioPubtatorDatasetReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from tests.conftest import shared_data

SAMPLE = os.path.join(FIXTURES, "data", "pubtator", "sample.PubTator.txt")


def entities(instance):
    words, tags = instance["metadata"]["words"], instance["tags"].labels
    found, current = [], None
    for word, tag in zip(words, tags):
        if tag.startswith("B-"):
            current = [tag[2:], [word]]
            found.append(current)
        elif tag.startswith("I-"):
            current[1].append(word)
    return [(t, " ".join(w)) for t, w in found]


def test_sample_documents_sentences_and_every_mention_placed():
    reader = BioPubtatorDatasetReader()
    instances = list(reader.read(SAMPLE))
    assert [i["metadata"]["document_id"] for i in instances] == [
        "1001",
        "1001",
        "1001",
        "1002",
        "1002",
    ]
    assert entities(instances[0]) == [("Gene", "BRCA1"), ("Disease", "breast cancer")]
    assert entities(instances[1]) == [("Chemical", "Cisplatin"), ("Disease", "nephrotoxicity")]
    # a mention ending inside a word ("hypothyroidismlike") gets a token of its own
    assert ("Disease", "hypothyroidism") in entities(instances[4])
    assert "like" in instances[4]["metadata"]["words"]
    counts = reader.last_counts
    assert (counts.read, counts.placed, counts.overlapping) == (11, 11, 0)
    assert counts.per_type == {"Gene": 1, "Disease": 6, "Chemical": 4}


def test_offsets_point_into_the_document_text():
    instance = list(BioPubtatorDatasetReader().read(SAMPLE))[1]
    text = (
        "BRCA1 mutations and breast cancer. Cisplatin-induced nephrotoxicity was seen in 3 "
        "patients. "
        "Tamoxifen reduced the risk of breast cancer (P < 0.05)."
    )
    for word, (start, end) in zip(instance["metadata"]["words"], instance["metadata"]["offsets"]):
        assert text[start:end] == word


def test_type_filter_renaming_and_bioul():
    reader = BioPubtatorDatasetReader(
        entity_types=["Chemical"], rename_types={"Chemical": "CHEM"}, output_scheme="BIOUL"
    )
    tags = [tag for i in reader.read(SAMPLE) for tag in i["tags"].labels if tag != "O"]
    assert tags == ["U-CHEM"] * 4


@pytest.mark.parametrize(
    "content, message",
    [
        (
            "1|t|Shirt.\n1\t0\t5\tShort\tX\n",
            "line 2: mention text 'Short' differs from the document text at 0-5: 'Shirt'",
        ),
        (
            "1|t|Short.\n1\t0\t50\tShort\tX\n",
            "line 2: mention offsets 0-50 lie beyond document 1's text",
        ),
        ("1|t|Short.\n1\tzero\t5\tShort\tX\tD1\n", "line 2: unparseable offsets 'zero', '5'"),
        ("1|t|Short.\n1\t0\t5\n", "line 2: expected a mention line"),
        ("1\t0\t5\tShort\tX\n", "line 1: annotation line before any 'pmid|t|title' line"),
        (b"1|t|Caf\xe9.\n", "line 1: not valid UTF-8"),
        ("", "the file is empty"),
    ],
)
def test_malformed_input(tmp_path, content, message):
    path = tmp_path / "bad.PubTator.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(DataFormatError, match=message) as error:
        list(BioPubtatorDatasetReader().read(str(path)))
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    "split, chemical, disease",
    [("Training", 5203, 4182), ("Development", 5347, 4244), ("Test", 5385, 4424)],
)
def test_real_cdr_every_mention_placed(split, chemical, disease):
    reader = BioPubtatorDatasetReader()
    instances = list(reader.read(shared_data("cdr-pubtator", f"CDR_{split}Set.PubTator.txt")))
    assert len({i["metadata"]["document_id"] for i in instances}) == 500
    assert reader.last_counts.per_type == {"Chemical": chemical, "Disease": disease}
    assert reader.last_counts.placed == reader.last_counts.read == chemical + disease
    begins = sum(tag.startswith("B-") for i in instances for tag in i["tags"].labels)
    assert begins == chemical + disease
