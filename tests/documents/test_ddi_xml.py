import os
from collections import Counter

import pytest

from allennlp_bioelmo.documents import (
    DDI_NEGATIVE,
    DDI_UNTYPED,
    Argument,
    DocumentFormatError,
    DocumentStatistics,
    read_bioc_json,
    read_bioc_xml,
    read_ddi_xml,
    write_bioc_json,
    write_bioc_xml,
)
from tests.conftest import shared_data
from tests.documents import fixture

SAMPLE = fixture("ddi", "MedLine", "d900.xml")
S0 = "Ritonavir raises levels of antiretroviral and antifungal drugs; Kaletra did not."
S1 = "No interaction was seen."
S2 = "Aspirin\r\nwas given."  # written with character references: &#xd;&#xa;


def variant(tmp_path, old: str, new: str):
    """The sample with `old` replaced; (path, line where the tag holding `old` ends, which is
    the line lxml gives an element)."""
    text = open(SAMPLE, encoding="utf-8").read()
    assert old in text, old
    line = text[: text.index(">", text.index(old))].count("\n") + 1
    path = tmp_path / "variant.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path), line


def test_sample_document():
    stats = DocumentStatistics()
    (document,) = read_ddi_xml(fixture("ddi"), stats=stats)  # a directory tree
    assert document.id == "DDI-MedLine.d900"
    assert document.text == f"{S0} {S1} {S2}"
    assert [(p.offset, p.type, p.infons["id"]) for p in document.passages] == [
        (0, "sentence", "DDI-MedLine.d900.s0"),
        (len(S0) + 1, "sentence", "DDI-MedLine.d900.s1"),
        (len(S0) + len(S1) + 2, "sentence", "DDI-MedLine.d900.s2"),
    ]
    mentions = document.mentions_by_id()
    ritonavir = mentions["DDI-MedLine.d900.s0.e0"]
    assert (ritonavir.spans, ritonavir.type, ritonavir.identifiers) == ([(0, 9)], "drug", [])
    pieces = mentions["DDI-MedLine.d900.s0.e1"]  # charOffset="27-40;57-61": inclusive ends
    assert pieces.spans == [(27, 41), (57, 62)]
    assert document.text_at(pieces.spans) == "antiretroviral drugs" == pieces.text
    aspirin = mentions["DDI-MedLine.d900.s2.e0"]
    assert document.text_at(aspirin.spans) == "Aspirin" and aspirin.type == "drug_n"
    relations = {r.id[-2:]: r for r in document.relations}
    assert relations["p0"].type == "mechanism" and relations["p0"].infons == {"ddi": "true"}
    assert relations["p0"].arguments == {
        "e1": Argument("DDI-MedLine.d900.s0.e0"),
        "e2": Argument("DDI-MedLine.d900.s0.e1"),
    }
    assert relations["p2"].type == DDI_NEGATIVE == "none"
    assert relations["p2"].infons == {"ddi": "false"}
    assert relations["p4"].type == DDI_UNTYPED  # ddi="true" without type
    assert stats.relations == {"none": 3, "mechanism": 1, "effect": 1, "ddi": 1}
    assert stats.mentions == {"group": 2, "drug": 1, "brand": 1, "drug_n": 1}
    assert list(read_ddi_xml(SAMPLE)) == [document]  # one file


def test_sentence_separator_and_discontinuous_options():
    (document,) = read_ddi_xml(SAMPLE, sentence_separator="\n", discontinuous="covering")
    assert document.text == f"{S0}\n{S1}\n{S2}"
    assert document.mention("DDI-MedLine.d900.s0.e1").spans == [(27, 62)]
    document.validate()
    with pytest.raises(ValueError, match="sentence_separator must be whitespace"):
        read_ddi_xml(SAMPLE, sentence_separator=" | ")


def test_bom_and_crlf_are_accepted(tmp_path):
    data = open(SAMPLE, "rb").read()
    (tmp_path / "crlf.xml").write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    assert list(read_ddi_xml(tmp_path / "crlf.xml")) == list(read_ddi_xml(SAMPLE))


def test_converts_to_bioc_and_back(tmp_path):
    documents = list(read_ddi_xml(SAMPLE))
    write_bioc_xml(documents, tmp_path / "ddi.xml")
    assert list(read_bioc_xml(tmp_path / "ddi.xml")) == documents  # "\r" included
    write_bioc_json(documents, tmp_path / "ddi.json")
    assert list(read_bioc_json(tmp_path / "ddi.json")) == documents


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('charOffset="64-70"', 'charOffset="64_70"', "charOffset '64_70' does not parse"),
        ('charOffset="64-70"', 'charOffset="64-99"', "charOffset '64-99' lies beyond its sentence"),
        (
            'e2="DDI-MedLine.d900.s0.e3" ddi="false"/>',
            'e2="DDI-MedLine.d900.s0.e9" ddi="false"/>',
            "pair DDI-MedLine.d900.s0.p2: e2 names a missing entity 'DDI-MedLine.d900.s0.e9'",
        ),
        ('ddi="true" type="effect"', 'ddi="yes" type="effect"', "ddi='yes', expected 'true'"),
        ('<sentence id="DDI-MedLine.d900.s1"', '<sentence id="DDI-MedLine.d900.s1" <', "malformed"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, old, new, message):
    path, line = variant(tmp_path, old, new)
    with pytest.raises(DocumentFormatError) as error:
        list(read_ddi_xml(path))
    assert f"variant.xml, line {line}: " in str(error.value)
    assert message in str(error.value)


def test_non_utf8_and_foreign_xml(tmp_path):
    data = open(SAMPLE, "rb").read()
    offset = data.index(b"Kaletra did")
    (tmp_path / "latin.xml").write_bytes(data[:offset] + b"\xe4" + data[offset + 1 :])
    with pytest.raises(DocumentFormatError) as error:
        list(read_ddi_xml(tmp_path / "latin.xml"))
    line = data[:offset].count(b"\n") + 1
    assert f"latin.xml, line {line}: not valid UTF-8: byte 0xe4 at byte offset {offset}" in str(
        error.value
    )
    with pytest.raises(DocumentFormatError, match="expected a DDI <document> root element"):
        list(read_ddi_xml(fixture("sample.bioc.xml")))


# The DDI-2013 training part (README counts), read once for the module

TYPES = {"drug": 9425, "group": 3399, "brand": 1437, "drug_n": 504}
PAIRS = {"mechanism": 1319, "effect": 1687, "advise": 826, "int": 189, DDI_NEGATIVE: 23771}


@pytest.fixture(scope="module")
def ddi_train():
    stats = DocumentStatistics()
    documents = list(read_ddi_xml(shared_data("ddi-2013-xml", "Train"), stats=stats))
    return documents, stats


def test_ddi_counts_equal_the_readme(ddi_train):
    documents, stats = ddi_train
    assert (stats.files, stats.documents, stats.passages) == (714, 714, 6976)
    assert stats.mentions == TYPES
    assert stats.relations == PAIRS and stats.relation_count == 27792
    assert sum(n for t, n in stats.relations.items() if t != DDI_NEGATIVE) == 4021
    assert stats.discontinuous == {"pieces": 38}
    sources = Counter(d.id.split(".")[0] for d in documents)
    assert sources == {"DDI-DrugBank": 572, "DDI-MedLine": 142}
    without_entity = without_pair = 0
    for document in documents:
        starts = Counter(document.passage_at(m.start).offset for m in document.mentions)
        first = document.mentions_by_id()
        pairs = Counter(
            document.passage_at(first[r.arguments["e1"].value].start).offset
            for r in document.relations
        )
        without_entity += sum(1 for p in document.passages if p.offset not in starts)
        without_pair += sum(1 for p in document.passages if p.offset not in pairs)
    assert (without_entity, without_pair) == (1416, 3187)


def test_ddi_mention_texts_equal_the_document_but_one(ddi_train):
    """
    Every entity's text is the document text at its spans (pieces joined by a space) except one
    in the corpus itself: DDI-DrugBank.d216.s16.e2 "(R)-warfarin", charOffset "95-98;107-114",
    one character early on both pieces (the sentence reads "(R)- or (S)-warfarin"; the text
    there is " (R)" and "-warfari"). It is kept as the corpus has it, and counted.
    """
    documents, stats = ddi_train
    off = [(d.id, m.id) for d in documents for m in d.mentions if not d.mention_text_matches(m)]
    assert off == [("DDI-DrugBank.d216", "DDI-DrugBank.d216.s16.e2")]
    assert stats.text_mismatches == 1


def test_ddi_train_survives_bioc_json(ddi_train, tmp_path):
    documents, _ = ddi_train
    medline = [d for d in documents if d.id.startswith("DDI-MedLine")]
    write_bioc_json(medline, tmp_path / "medline.json")
    assert list(read_bioc_json(tmp_path / "medline.json")) == medline
    assert os.path.getsize(tmp_path / "medline.json") > 0
