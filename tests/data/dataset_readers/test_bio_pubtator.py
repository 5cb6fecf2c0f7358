import logging
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
        ("1|t|Short.\n1|t|Other.\n", "line 2: a second title line for document 1"),
    ],
)
def test_malformed_input(tmp_path, content, message):
    path = tmp_path / "bad.PubTator.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(DataFormatError, match=message) as error:
        list(BioPubtatorDatasetReader().read(str(path)))
    assert str(path) in str(error.value)


def fingerprint(instances):
    return [(i["metadata"]["words"], i["tags"].labels, i["metadata"]["offsets"]) for i in instances]


def test_utf8_bom_and_crlf_read_like_the_plain_file(tmp_path):
    with open(SAMPLE, "rb") as handle:
        plain = handle.read()
    path = tmp_path / "bom.PubTator.txt"
    path.write_bytes(b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n"))
    instances = list(BioPubtatorDatasetReader().read(str(path)))
    assert instances[0]["metadata"]["document_id"] == "1001"
    assert fingerprint(instances) == fingerprint(BioPubtatorDatasetReader().read(SAMPLE))


def test_an_empty_entity_type_names_file_and_line(tmp_path):
    path = tmp_path / "bad.PubTator.txt"
    path.write_text("1001|t|BRCA1 matters.\n1001\t0\t5\tBRCA1\t\tD000001\n")
    with pytest.raises(
        DataFormatError,
        match="bad.PubTator.txt, line 2: the entity type \\(column 5\\) of mention 'BRCA1' of "
        "document 1001 is empty",
    ):
        list(BioPubtatorDatasetReader().read(str(path)))


def test_merged_sentences_and_dropped_mentions_are_counted_warnings(tmp_path, caplog):
    path = tmp_path / "cross.PubTator.txt"
    path.write_text(
        "1|t|Foo bar. Baz qux.\n1\t4\t12\tbar. Baz\tX\tD1\n1\t9\t12\tBaz\tY\tD2\n"
        "1\t13\t16\tqux\tY\tD3\n1\t14\t16\tux\tZ\tD4\n"
    )
    reader = BioPubtatorDatasetReader()
    with caplog.at_level(logging.INFO):
        instances = list(reader.read(str(path)))
    assert len(instances) == 1  # "Foo bar." and "Baz qux." merged: "bar. Baz" crosses them
    assert entities(instances[0]) == [("X", "bar . Baz"), ("Y", "q ux")]  # "ux" is a cut
    counts = reader.last_counts
    assert (counts.read, counts.placed, counts.overlapping, counts.merged_boundaries) == (
        4,
        2,
        2,
        1,
    )
    assert counts.overlapping_per_type == {"Y": 1, "Z": 1}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"{path}: 2 mentions dropped (Y 1, Z 1): each overlaps a longer (or an equally long, "
        "earlier) mention already tagged, and BIO tags hold one mention per token; 1 sentence "
        "boundaries removed: a mention crosses each, so the sentences on both sides were merged "
        "into one"
    ]


def test_a_mention_of_only_whitespace_is_counted_not_lost(tmp_path, caplog):
    path = tmp_path / "space.PubTator.txt"
    path.write_text("1|t|Foo.  Bar.\n1\t4\t6\t  \tX\tD1\n")
    reader = BioPubtatorDatasetReader()
    with caplog.at_level(logging.WARNING):
        assert [entities(i) for i in reader.read(str(path))] == [[], []]
    assert (reader.last_counts.no_token, reader.last_counts.no_token_per_type) == (1, {"X": 1})
    assert "1 mentions dropped (X 1): each covers no token (only whitespace)" in caplog.text


def test_a_file_whose_documents_have_no_text_warns(tmp_path, caplog):
    path = tmp_path / "empty.PubTator.txt"
    path.write_text("1|t|\n\n2|t| \n")
    with caplog.at_level(logging.WARNING):
        assert list(BioPubtatorDatasetReader().read(str(path))) == []
    assert (
        f"{path}: 2 documents without text: they give no sentence (e.g. 1, 2); 0 sentences: no "
        "document has text, so the data gives no instances" in caplog.text
    )


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


def test_a_title_without_a_final_period_does_not_run_into_the_abstract(tmp_path):
    path = tmp_path / "title.PubTator.txt"
    path.write_text(
        "1|t|BRCA1 and breast cancer\n1|a|Cisplatin caused nephrotoxicity.\n"
        "1\t10\t23\tbreast cancer\tDisease\tD001943\n1\t24\t33\tCisplatin\tChemical\tD002945\n"
    )
    instances = list(BioPubtatorDatasetReader().read(str(path)))
    assert [entities(i) for i in instances] == [
        [("Disease", "breast cancer")],
        [("Chemical", "Cisplatin")],
    ]


def test_a_mention_across_title_and_abstract_is_dropped_and_counted(tmp_path, caplog):
    path = tmp_path / "across.PubTator.txt"
    path.write_text("1|t|Foo bar\n1|a|baz qux.\n1\t4\t11\tbar baz\tX\tD1\n1\t12\t15\tqux\tY\tD2\n")
    reader = BioPubtatorDatasetReader()
    with caplog.at_level(logging.WARNING):
        instances = list(reader.read(str(path)))
    assert [entities(i) for i in instances] == [[], [("Y", "qux")]]
    assert reader.statistics.to_dict()["mentions"] == {
        "read": {"X": 1, "Y": 1},
        "placed": {"Y": 1},
        "dropped": {"X": {"count": 1, "reasons": {"crosses a passage boundary": 1}}},
    }
    assert "1 mentions dropped (X 1): each crosses a passage boundary" in caplog.text


def test_statistics_of_the_sample():
    reader = BioPubtatorDatasetReader(entity_types=["Disease", "Chemical"])
    instances = list(reader.read(SAMPLE))
    assert reader.statistics.to_dict() == {
        "documents": 2,
        "sentences": 5,
        "tokens": sum(len(i["metadata"]["words"]) for i in instances),
        "mentions": {
            "read": {"Chemical": 4, "Disease": 6, "Gene": 1},
            "placed": {"Chemical": 4, "Disease": 6},
            "dropped": {"Gene": {"count": 1, "reasons": {"type not selected": 1}}},
        },
    }


def test_real_cdr_statistics_every_mention_read_is_placed():
    reader = BioPubtatorDatasetReader()
    list(reader.read(shared_data("cdr-pubtator", "CDR_TrainingSet.PubTator.txt")))
    statistics = reader.statistics.to_dict()
    assert statistics["documents"] == 500
    assert statistics["mentions"]["read"] == {"Chemical": 5203, "Disease": 4182}
    assert statistics["mentions"]["placed"] == statistics["mentions"]["read"]
    assert statistics["mentions"]["dropped"] == {}
    assert reader.statistics.unbalanced_mention_types() == {}
