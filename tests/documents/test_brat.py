import os
import shutil

import pytest

from allennlp_bioelmo.documents import (
    Argument,
    Document,
    DocumentFormatError,
    DocumentStatistics,
    Mention,
    Passage,
    Relation,
    read_bioc_xml,
    read_brat,
    write_brat,
)
from tests.documents import fixture, without_ids

DIRECTORY = fixture("brat")


def copy(tmp_path) -> str:
    target = tmp_path / "brat"
    shutil.copytree(DIRECTORY, target)
    return str(target)


def test_sample_documents():
    stats = DocumentStatistics()
    lithium, tumours = read_brat(DIRECTORY, stats=stats)  # name order
    assert lithium.id == "lithium" and lithium.passages == [Passage(0, lithium.text)]
    assert lithium.relations == [
        Relation("R1", "Causes", {"Arg1": Argument("T1"), "Arg2": Argument("T2")})
    ]
    mentions = tumours.mentions_by_id()
    assert mentions["T1"].spans == [(0, 7), (19, 26)] and mentions["T1"].text == "Ovarian tumours"
    assert mentions["T2"].identifiers == ["MESH:D001943", "MESH:D010051"]
    assert mentions["T2"].infons == {"normalization MESH:D001943": "Breast Neoplasms"}
    assert mentions["T3"].identifiers == ["MESH:D013629"]
    assert mentions["T4"].infons == {"AnnotatorNotes": "gene symbol"}
    # character offsets, not bytes: "naïve group" after a non-ASCII character
    assert tumours.text_at(mentions["T6"].spans) == "naïve group"
    (treats,) = tumours.relations  # R2 names an event: not read
    assert treats.arguments == {"Arg1": Argument("T3"), "Arg2": Argument("T1")}
    assert treats.infons == {"AnnotatorNotes": "adjuvant"}
    assert stats.dropped == {
        "brat event (E) line, not read": 1,
        "brat attribute (A) line, not read": 1,
        "brat equivalence (*) line, not read": 1,
        "brat relation on a non-entity annotation (E), not read": 1,
    }
    assert stats.discontinuous == {"pieces": 1} and stats.text_mismatches == 0
    # one pair, named by either file
    assert list(read_brat(os.path.join(DIRECTORY, "lithium.ann"))) == [lithium]
    assert list(read_brat(os.path.join(DIRECTORY, "lithium.txt"))) == [lithium]


def test_round_trip(tmp_path):
    documents = list(read_brat(DIRECTORY))
    assert write_brat(documents, tmp_path / "out") == 2
    assert list(read_brat(tmp_path / "out")) == documents
    annotations = (tmp_path / "out" / "tumours.ann").read_text(encoding="utf-8")
    assert "T1\tDisease 0 7;19 26\tOvarian tumours\n" in annotations
    assert "N1\tReference T2 MESH:D001943\tBreast Neoplasms\n" in annotations


def test_discontinuous_policy_option():
    stats = DocumentStatistics()
    _, tumours = read_brat(DIRECTORY, discontinuous="first_span", stats=stats)
    assert tumours.mention("T1").spans == [(0, 7)] and tumours.mention("T1").text == "Ovarian"
    _, tumours = read_brat(DIRECTORY, discontinuous="drop", stats=stats)
    assert "T1" not in tumours.mentions_by_id() and tumours.relations == []
    assert stats.discontinuous == {"first_span": 1, "drop": 1}
    assert stats.dropped["relation naming a dropped discontinuous mention"] == 1


def test_crlf_text_counts_both_characters_and_bom_is_dropped(tmp_path):
    text = "Lithium\r\ncauses tremor.\r\n"
    (tmp_path / "doc.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "doc.ann").write_bytes(
        b"\xef\xbb\xbfT1\tChemical 0 7\tLithium\r\nT2\tDisease 16 22\ttremor\r\n"
    )
    (document,) = read_brat(tmp_path)
    assert document.text == text
    assert [document.text_at(m.spans) for m in document.mentions] == ["Lithium", "tremor"]
    write_brat([document], tmp_path / "out")
    assert (tmp_path / "out" / "doc.txt").read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize(
    "line, message",
    [
        ("R9\tCauses Arg1:T1 Arg2:T99", "relation R9 names a missing annotation 'T99'"),
        ("T9\tGene 1 500\tBRCA1", "offsets 1-500 lie beyond the text of lithium.txt"),
        ("T9\tGene one two\tBRCA1", "unparseable offsets 'one two': expected 'T<id><TAB>"),
        ("T9\tGene 5 2\tBRCA1", "invalid offsets 5 2"),
        ("N9\tReference T77 MESH:D1\tx", "normalization names a missing annotation 'T77'"),
        ("#9\tAnnotatorNotes T77\tx", "note names a missing annotation 'T77'"),
        ("R9\tCauses T1 T2", "expected 'R<id><TAB><type> Arg1:<id> Arg2:<id>'"),
        ("X1\tSomething", "expected 'T<id><TAB><type> <start> <end>[;<start> <end>]<TAB>"),
    ],
)
def test_bad_annotation_lines_name_file_and_line(tmp_path, line, message):
    directory = copy(tmp_path)
    path = os.path.join(directory, "lithium.ann")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    with pytest.raises(DocumentFormatError) as error:
        list(read_brat(directory))
    assert f"lithium.ann, line 4: {message}" in str(error.value)


def test_missing_sibling_and_non_utf8(tmp_path):
    directory = copy(tmp_path)
    os.remove(os.path.join(directory, "tumours.ann"))
    with pytest.raises(DocumentFormatError, match=r"tumours.txt: no tumours.ann beside it"):
        list(read_brat(directory))
    directory = copy(tmp_path / "again")
    path = os.path.join(directory, "tumours.txt")
    data = open(path, "rb").read()
    offset = data.index("naïve".encode("utf-8")) + 2
    open(path, "wb").write(data[:offset] + b"\xff" + data[offset + 1 :])
    with pytest.raises(DocumentFormatError) as error:
        list(read_brat(directory))
    assert f"tumours.txt, line 2: not valid UTF-8: byte 0xff at byte offset {offset}" in str(
        error.value
    )


def test_writer_renumbers_ids_and_refuses_concept_relations(tmp_path):
    text = "Aspirin and headache."
    document = Document.from_passages(
        "PMID/7",
        [Passage(0, text, "title")],
        mentions=[
            Mention("0", [(0, 7)], "Chemical", ["D001241"], "Aspirin", {"CompositeRole": "x y"}),
            Mention("1", [(12, 20)], "Disease", [], "headache"),
        ],
        relations=[
            Relation("cid", "CID", {"Chemical": Argument.concept("D001241")}),
            Relation("r", "causes", {"Arg1": Argument("0"), "Arg2": Argument("1")}),
        ],
    )
    with pytest.raises(DocumentFormatError) as error:
        write_brat([document], tmp_path / "out")
    assert "document PMID/7: cannot be written as BRAT: relation cid has concept" in str(
        error.value
    )
    stats = DocumentStatistics()
    write_brat([document], tmp_path / "out", unwritable="drop", stats=stats)
    assert stats.dropped == {"not writable as BRAT: relation with concept or relation arguments": 1}
    (back,) = read_brat(tmp_path / "out")
    assert back.id == "PMID_7"
    assert [m.id for m in back.mentions] == ["T1", "T2"]
    assert back.mentions[0].infons == {"CompositeRole": "x y"}  # infons travel as notes
    assert back.relations == [
        Relation("R1", "causes", {"Arg1": Argument("T1"), "Arg2": Argument("T2")})
    ]


def test_bioc_with_sentences_and_pieces_survives_brat(tmp_path):
    _, document = read_bioc_xml(fixture("sample.bioc.xml"))
    write_brat([document], tmp_path / "out")
    (back,) = read_brat(tmp_path / "out")
    assert without_ids(back) == without_ids(document)  # BioC ids "T1".. kept, as it happens
    assert [m.id for m in back.mentions] == ["T1", "T2", "T3"]
