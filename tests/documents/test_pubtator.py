import logging

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
    read_pubtator,
    write_pubtator,
)
from allennlp_bioelmo.documents.pubtator import EXTRA_COLUMNS
from tests.conftest import shared_data
from tests.documents import fixture

SAMPLE = fixture("sample.pubtator.txt")
TITLE = "Ocular and auditory toxicity after desferrioxamine."


def write(tmp_path, text: str, name="bad.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_sample_documents():
    stats = DocumentStatistics()
    first, second, third = read_pubtator(SAMPLE, stats=stats)
    assert first.passages[0] == Passage(0, TITLE, "title")
    assert first.passages[1].offset == len(TITLE) + 1 and first.passages[1].type == "abstract"
    composite = first.mentions[0]
    assert (composite.id, composite.spans, composite.type) == ("0", [(0, 28)], "Disease")
    assert composite.identifiers == ["D014786", "D006311"]
    assert composite.infons == {EXTRA_COLUMNS: "Ocular toxicity|auditory toxicity"}
    assert first.relations == [
        Relation(
            "R0",
            "CID",
            {"Chemical": Argument.concept("D003676"), "Disease": Argument.concept("D014786")},
        )
    ]
    # a title alone; a mention line without identifier column
    assert second.passages == [Passage(0, "Aspirin and headache.", "title")]
    assert second.mentions[1].identifiers == [] and second.mentions[1].text == "headache"
    # BioRED-style relation line: generic roles, the novelty column kept
    (association,) = third.relations
    assert association.arguments == {
        "Arg1": Argument.concept("672"),
        "Arg2": Argument.concept("D001943"),
    }
    assert association.infons == {EXTRA_COLUMNS: "Novel"}
    assert stats.mentions == {"Disease": 4, "Chemical": 3, "Gene": 2}
    assert stats.relations == {"CID": 1, "Association": 1} and stats.text_mismatches == 0


def test_round_trip_writes_the_file_back_byte_for_byte(tmp_path):
    documents = list(read_pubtator(SAMPLE))
    assert write_pubtator(documents, tmp_path / "out.txt") == 3
    assert (tmp_path / "out.txt").read_bytes() == open(SAMPLE, "rb").read()
    assert list(read_pubtator(tmp_path / "out.txt")) == documents


def test_relation_roles_option():
    *_, third = read_pubtator(SAMPLE, relation_roles={"Association": ("entity1", "entity2")})
    assert list(third.relations[0].arguments) == ["entity1", "entity2"]


def test_bom_crlf_and_missing_blank_lines_are_accepted(tmp_path):
    data = open(SAMPLE, "rb").read()
    (tmp_path / "crlf.txt").write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    expected = list(read_pubtator(SAMPLE))
    assert list(read_pubtator(tmp_path / "crlf.txt")) == expected
    # documents not separated by blank lines: a new title starts a new document
    (tmp_path / "packed.txt").write_bytes(data.replace(b"\n\n", b"\n"))
    assert list(read_pubtator(tmp_path / "packed.txt")) == expected


def test_text_mismatch_is_counted_and_warned_once_never_shifted(tmp_path, caplog):
    text = open(SAMPLE, encoding="utf-8").read()
    text = text.replace("75\t86\tvisual loss", "75\t86\tvisual lost")
    text = text.replace("0\t7\tAspirin", "0\t7\taspirin")
    path = write(tmp_path, text)
    stats = DocumentStatistics()
    with caplog.at_level(logging.WARNING):
        first, second, _ = read_pubtator(path, stats=stats)
    assert first.mentions[3].spans == [(75, 86)] and first.mentions[3].text == "visual lost"
    assert stats.text_mismatches == 2
    warnings = [r.getMessage() for r in caplog.records if "differ from the document" in r.message]
    assert len(warnings) == 1 and "bad.txt: 2 mention text(s)" in warnings[0]
    assert "document 1001, mention 3 'visual lost' at 75-86 where the text reads 'visual loss'" in (
        warnings[0]
    )


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("1\t0\t3\tabc\tGene\n", 1, "annotation line before any 'pmid|t|title' line"),
        ("1|t|abc\n2\t0\t3\tabc\tGene\n", 2, "annotation for 2 inside document 1"),
        ("1|t|abc\n1\t0\tx\tabc\tGene\n", 2, "unparseable offsets '0', 'x'"),
        ("1|t|abc\n1\t3\t3\tabc\tGene\n", 2, "invalid offsets 3-3"),
        ("1|t|abc\n1|a|de\n1\t4\t9\tdefgh\tGene\n", 3, "mention offsets 4-9 lie beyond document 1"),
        ("1|t|abc\n1\t0\t3\n", 2, "expected a mention line"),
        ("1|t|abc\n2|a|de\n", 2, "abstract of 2 before its title"),
        ("1|t|abc\n1|a|de\n1|a|fg\n", 3, "a second abstract for 1"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(DocumentFormatError) as error:
        list(read_pubtator(path))
    assert f"bad.txt, line {line}: {message}" in str(error.value)


def test_empty_file_and_non_utf8(tmp_path):
    with pytest.raises(DocumentFormatError, match="empty.txt: the file is empty"):
        list(read_pubtator(write(tmp_path, "", "empty.txt")))
    data = open(SAMPLE, "rb").read()
    offset = data.index("naïve".encode("utf-8")) + 2
    (tmp_path / "latin.txt").write_bytes(data[:offset] + b"\xef" + data[offset + 1 :])
    with pytest.raises(DocumentFormatError) as error:
        list(read_pubtator(tmp_path / "latin.txt"))
    assert f"latin.txt, line 2: not valid UTF-8: byte 0xef at byte offset {offset}" in str(
        error.value
    )


def unwritable_document() -> Document:
    text = "Ovarian and breast tumours."
    return Document.from_passages(
        "9",
        [Passage(0, text, "title")],
        mentions=[
            Mention("T1", [(0, 7), (19, 26)], "Disease", [], "Ovarian tumours"),
            Mention("T2", [(12, 26)], "Disease", ["D001943"], "breast tumours"),
        ],
        relations=[Relation("R1", "same", {"a": Argument("T1"), "b": Argument("T2")})],
    )


def test_writer_refuses_what_pubtator_cannot_hold_or_drops_it_counted(tmp_path):
    with pytest.raises(DocumentFormatError) as error:
        write_pubtator([unwritable_document()], tmp_path / "out.txt")
    assert "out.txt: document 9: cannot be written as PubTator: mention T1" in str(error.value)
    assert not (tmp_path / "out.txt").exists()  # nothing half-written
    stats = DocumentStatistics()
    write_pubtator([unwritable_document()], tmp_path / "out.txt", unwritable="drop", stats=stats)
    assert stats.dropped == {
        "not writable as PubTator: a mention with several spans": 1,
        "not writable as PubTator: a relation between mentions (PubTator relation lines hold "
        "concept identifiers)": 1,
    }
    (document,) = read_pubtator(tmp_path / "out.txt")
    assert [(m.spans, m.identifiers) for m in document.mentions] == [([(12, 26)], ["D001943"])]


def test_writer_line_breaks_and_passage_layout(tmp_path):
    text = "Title line\nends here"
    document = Document.from_passages("5", [Passage(0, text, "title")])
    with pytest.raises(DocumentFormatError, match="document 5: .*a line break in its text"):
        write_pubtator([document], tmp_path / "out.txt")
    write_pubtator([document], tmp_path / "out.txt", replace_newlines=True)
    (back,) = read_pubtator(tmp_path / "out.txt")
    assert back.text == "Title line ends here"
    # bconv-style passages without gap, the title ending in "\n": that character separates them
    passages = [Passage(0, "Title.\n", "Title"), Passage(7, "Abstract.", "Abstract")]
    document = Document.from_passages("6", passages)
    write_pubtator([document], tmp_path / "two.txt")
    assert (tmp_path / "two.txt").read_text() == "6|t|Title.\n6|a|Abstract.\n\n"


# BC5CDR in PubTator (read once for the module), and against its BioC XML release

CDR_SPLITS = {
    # split: Chemical, Disease, CID relations (the README gives the training split's)
    "Training": (5203, 4182, 1038),
    "Development": (5347, 4244, 1012),
    "Test": (5385, 4424, 1066),
}


@pytest.fixture(scope="module")
def cdr_pubtator():
    read = {}
    for split in CDR_SPLITS:
        stats = DocumentStatistics()
        path = shared_data("cdr-pubtator", f"CDR_{split}Set.PubTator.txt")
        read[split] = (path, list(read_pubtator(path, stats=stats)), stats)
    return read


@pytest.mark.parametrize("split", list(CDR_SPLITS))
def test_cdr_pubtator_counts_and_texts(cdr_pubtator, split):
    _, documents, stats = cdr_pubtator[split]
    chemical, disease, relations = CDR_SPLITS[split]
    assert (stats.documents, stats.passages) == (500, 1000)
    assert stats.mentions == {"Chemical": chemical, "Disease": disease}
    assert stats.relations == {"CID": relations}
    assert stats.text_mismatches == 0
    assert all(d.mention_text_matches(m) for d in documents for m in d.mentions)


def test_cdr_pubtator_is_written_back_byte_for_byte(cdr_pubtator, tmp_path):
    path, documents, _ = cdr_pubtator["Training"]
    write_pubtator(documents, tmp_path / "train.txt")
    assert (tmp_path / "train.txt").read_bytes() == open(path, "rb").read()


# IndividualMention annotations by split: all / with several locations
INDIVIDUAL_MENTIONS = {"Training": (185, 73), "Development": (182, 43), "Test": (119, 37)}


@pytest.mark.parametrize("split", list(CDR_SPLITS))
def test_cdr_pubtator_and_bioc_releases_agree(cdr_pubtator, split):
    """
    The two BC5CDR releases give the same documents (ids, text, title/abstract passages), the same
    CID relations (ids R0, R1, ... in the same order, Chemical/Disease MeSH ids) and the same
    mentions (spans, types, MeSH ids, texts) but one difference: the BioC release adds, for each
    composite mention ("Ocular and auditory toxicity", D014786|D006311), an IndividualMention
    annotation per part, with its own MeSH id and location(s) ("Ocular ... toxicity" has two);
    PubTator has only the parts' texts, in the composite line's 7th column. So the BioC release
    has 185 / 182 / 119 more mentions (73 / 43 / 37 of them with several locations); the BioC
    annotations whose text is off (see test_bioc_xml) are all among them.
    """
    _, from_pubtator, _ = cdr_pubtator[split]
    from_bioc = list(read_bioc_xml(shared_data("cdr-bioc", f"CDR_{split}Set.BioC.xml")))
    assert [d.id for d in from_pubtator] == [d.id for d in from_bioc]

    def key(mention):
        return mention.spans, mention.type, mention.identifiers, mention.text

    individual = multi = 0
    for pubtator, bioc in zip(from_pubtator, from_bioc):
        assert (pubtator.text, pubtator.passages) == (bioc.text, bioc.passages)
        assert pubtator.relations == bioc.relations
        others = []
        for mention in bioc.mentions:
            if mention.infons.get("CompositeRole") == "IndividualMention":
                individual += 1
                multi += mention.is_discontinuous
            else:
                others.append(key(mention))
        assert [key(m) for m in pubtator.mentions] == others
        composites = [
            m for m in bioc.mentions if m.infons.get("CompositeRole") == "CompositeMention"
        ]
        for mention in composites:
            (twin,) = [m for m in pubtator.mentions if key(m) == key(mention)]
            assert len(twin.infons[EXTRA_COLUMNS].split("|")) == len(mention.identifiers)
    assert (individual, multi) == INDIVIDUAL_MENTIONS[split]
