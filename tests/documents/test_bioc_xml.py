import logging

import pytest

from allennlp_bioelmo.documents import (
    Argument,
    DocumentFormatError,
    DocumentStatistics,
    Passage,
    read_bioc_xml,
    write_bioc_xml,
)
from tests.conftest import shared_data
from tests.documents import fixture

SAMPLE = fixture("sample.bioc.xml")
TITLE = "Ocular and auditory toxicity after desferrioxamine."
ABSTRACT = "Desferrioxamine caused visual loss in two naïve patients."


def variant(tmp_path, old: bytes, new: bytes, name="variant.xml"):
    """The sample with `old` (which must occur) replaced by `new`; (path, line of `old`)."""
    data = open(SAMPLE, "rb").read()
    assert old in data, old
    line = data[: data.index(old)].count(b"\n") + 1
    path = tmp_path / name
    path.write_bytes(data.replace(old, new, 1))
    return str(path), line


def test_sample_passages_mentions_relations():
    stats = DocumentStatistics()
    first, second = list(read_bioc_xml(SAMPLE, stats=stats))
    assert first.id == "1001" and first.infons == {"journal": "Fixture J"}
    assert first.passages == [
        Passage(0, TITLE, "title"),
        Passage(len(TITLE) + 1, ABSTRACT, "abstract"),
    ]
    assert first.text == f"{TITLE} {ABSTRACT}"  # the gap between the passages is a space
    composite, ocular = first.mentions[0], first.mentions[1]
    assert composite.identifiers == ["D014786", "D006311"]  # MESH, split at "|"
    assert composite.infons == {"CompositeRole": "CompositeMention"}
    assert (ocular.spans, ocular.text) == ([(0, 6), (20, 28)], "Ocular toxicity")
    naive = first.mentions[5]
    assert (naive.spans, naive.text) == ([(75, 86)], "visual loss")  # characters, not bytes
    cid, causes = first.relations
    assert (cid.id, cid.type, cid.infons) == ("R0", "CID", {})
    assert cid.arguments == {
        "Chemical": Argument.concept("D003676"),
        "Disease": Argument.concept("D014786"),
    }
    assert causes.arguments == {"Agent": Argument.mention("4"), "Effect": Argument.mention("5")}
    # a passage without text: its sentences' texts at their offsets; their annotations are read
    assert second.passages == [
        Passage(0, "Embryonic stem cells in mice. ES and germ cells differ.", "front")
    ]
    assert [(m.id, m.spans, m.identifiers) for m in second.mentions] == [
        ("T1", [(0, 20)], ["CL:0002322"]),
        ("T2", [(30, 32), (42, 47)], ["CL:0002322"]),
        ("T3", [(37, 47)], ["CL:0000586"]),
    ]
    assert stats.documents == 2 and stats.passages == 3 and stats.files == 1
    assert stats.mentions == {"Disease": 4, "Chemical": 2, "Cell": 3}
    assert stats.discontinuous == {"pieces": 2} and stats.text_mismatches == 0


def test_round_trip(tmp_path):
    documents = list(read_bioc_xml(SAMPLE))
    path = tmp_path / "out.xml"
    assert write_bioc_xml(documents, path) == 2
    again = list(read_bioc_xml(path))
    assert again == documents
    write_bioc_xml(again, tmp_path / "again.xml")
    assert (tmp_path / "again.xml").read_bytes() == path.read_bytes()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE collection")
    assert '<infon key="identifier">D014786|D006311</infon>' in text


def test_bom_and_crlf_are_accepted(tmp_path):
    data = open(SAMPLE, "rb").read()
    path = tmp_path / "crlf.xml"
    path.write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    assert list(read_bioc_xml(path)) == list(read_bioc_xml(SAMPLE))


def test_options_identifier_keys_and_discontinuous_policy():
    first = next(read_bioc_xml(SAMPLE, identifier_keys=("cui",)))
    assert first.mentions[0].identifiers == []
    assert first.mentions[0].infons["MESH"] == "D014786|D006311"
    stats = DocumentStatistics()
    first, second = read_bioc_xml(SAMPLE, discontinuous="covering", stats=stats)
    assert first.mentions[1].spans == [(0, 28)]
    assert second.mentions[1].text == "ES and germ cells"
    assert stats.discontinuous == {"covering": 2}
    with pytest.raises(ValueError, match="discontinuous must be one of"):
        read_bioc_xml(SAMPLE, discontinuous="split")


def test_text_mismatch_is_counted_and_warned_once_never_shifted(tmp_path, caplog):
    path, _ = variant(tmp_path, b"<text>visual loss</text>", b"<text>visual lost</text>")
    # a second mismatch in the same file: still one warning
    data = open(path, "rb").read().replace(b"<text>Naloxone", b"<text>Naloxone")
    data = data.replace(b"<text>desferrioxamine</text>", b"<text>deferoxamine</text>")
    open(path, "wb").write(data)
    stats = DocumentStatistics()
    with caplog.at_level(logging.WARNING):
        first, _ = read_bioc_xml(path, stats=stats)
    assert first.mentions[5].spans == [(75, 86)] and first.mentions[5].text == "visual lost"
    assert stats.text_mismatches == 2
    warnings = [r.getMessage() for r in caplog.records if "differ from the document" in r.message]
    assert len(warnings) == 1
    assert "variant.xml: 2 mention text(s)" in warnings[0]
    assert "document 1001, mention 3 'deferoxamine' at 35-50" in warnings[0]


def test_malformed_xml_names_file_and_line(tmp_path):
    path, line = variant(tmp_path, b"</annotation>", b"</annotatio>")
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_xml(path))
    assert f"variant.xml, line {line}: malformed XML" in str(error.value)


def test_bad_location_value_names_file_and_line(tmp_path):
    path, line = variant(tmp_path, b'<location offset="75"', b'<location offset="x75"')
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_xml(path))
    assert f"variant.xml, line {line}: unreadable BioC value" in str(error.value)
    assert "x75" in str(error.value)


def test_non_utf8_names_file_line_and_byte_offset(tmp_path):
    data = open(SAMPLE, "rb").read()
    offset = data.index("naïve".encode("utf-8")) + 2  # the second byte of "ï"
    bad = data[:offset] + b"\xff" + data[offset + 1 :]
    path = tmp_path / "latin.xml"
    path.write_bytes(bad)
    line = data[:offset].count(b"\n") + 1
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_xml(path))
    assert f"latin.xml, line {line}: not valid UTF-8: byte 0xff at byte offset {offset}" in str(
        error.value
    )


def test_location_beyond_the_text_names_the_document(tmp_path):
    path, _ = variant(tmp_path, b'offset="75" length="11"', b'offset="75" length="1100"')
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_xml(path))
    message = str(error.value)
    assert "variant.xml: document 1001: annotation 5: location offset 75 length 1100" in message
    assert "beyond the document text (109 characters)" in message


def test_relation_naming_a_missing_annotation_names_the_document(tmp_path):
    path, _ = variant(tmp_path, b'refid="5"', b'refid="55"')
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_xml(path))
    assert (
        "variant.xml: document 1001: relation R1 names a missing annotation or relation '55'"
        in (str(error.value))
    )


def test_overlapping_passages_and_missing_type_name_the_document(tmp_path):
    path, _ = variant(tmp_path, b"<offset>52</offset>", b"<offset>40</offset>")
    with pytest.raises(DocumentFormatError, match="document 1001: passage 1 starts at offset 40"):
        list(read_bioc_xml(path))
    path, _ = variant(tmp_path, b'<infon key="type">Chemical</infon>', b"")
    with pytest.raises(
        DocumentFormatError, match="document 1001: annotation 3 has no infon 'type'"
    ):
        list(read_bioc_xml(path))


def test_other_xml_is_refused(tmp_path):
    with pytest.raises(DocumentFormatError, match="expected a BioC XML <collection> root"):
        list(read_bioc_xml(fixture("ddi", "MedLine", "d900.xml")))


# The BC5CDR BioC XML release, read once for the module.

CDR_SPLITS = {
    # split: (Chemical, Disease, multi-location annotations, CID relations)
    "Training": (5207, 4363, 73, 1038),
    "Development": (5352, 4421, 43, 1012),
    "Test": (5394, 4534, 37, 1066),
}
# Where the release's own offsets are off (README: "One training annotation's text does not
# match"): that one is 15863244/12 ("midline (MD) defects" at 946, two characters early); the
# others are IndividualMentions whose second piece starts one character early ("colorectal ...
# cancers" reads "colorectal  cancer"). All are IndividualMentions, kept as they are.
CDR_MISMATCHES = {
    "Training": {("20722491", "6"), ("11587867", "7"), ("15863244", "12")},
    "Development": {("6415512", "8")},
    "Test": set(),
}


@pytest.fixture(scope="module")
def cdr_bioc():
    read = {}
    for split in CDR_SPLITS:
        stats = DocumentStatistics()
        path = shared_data("cdr-bioc", f"CDR_{split}Set.BioC.xml")
        read[split] = (list(read_bioc_xml(path, stats=stats)), stats)
    return read


@pytest.mark.parametrize("split", list(CDR_SPLITS))
def test_cdr_bioc_counts_equal_the_readme(cdr_bioc, split):
    documents, stats = cdr_bioc[split]
    chemical, disease, multi, relations = CDR_SPLITS[split]
    assert (stats.documents, stats.passages) == (500, 1000)
    assert all([p.type for p in d.passages] == ["title", "abstract"] for d in documents)
    assert stats.mentions == {"Chemical": chemical, "Disease": disease}
    assert stats.discontinuous == {"pieces": multi}
    assert stats.relations == {"CID": relations}
    assert stats.relation_kinds == {"concept": relations}  # infons Chemical/Disease, no nodes
    assert all(set(r.arguments) == {"Chemical", "Disease"} for d in documents for r in d.relations)
    assert stats.dropped == {}


@pytest.mark.parametrize("split", list(CDR_SPLITS))
def test_cdr_bioc_mention_texts_equal_the_document_but_the_known_shifts(cdr_bioc, split):
    documents, stats = cdr_bioc[split]
    off = {(d.id, m.id): m for d in documents for m in d.mentions if not d.mention_text_matches(m)}
    assert set(off) == CDR_MISMATCHES[split]
    assert stats.text_mismatches == len(off)
    assert all(m.infons["CompositeRole"] == "IndividualMention" for m in off.values())


def test_cdr_bioc_round_trip(cdr_bioc, tmp_path):
    documents, _ = cdr_bioc["Training"]
    write_bioc_xml(documents, tmp_path / "train.xml")
    assert list(read_bioc_xml(tmp_path / "train.xml")) == documents


def test_missing_text_comes_from_the_document_and_repeated_roles_stay(tmp_path):
    path, _ = variant(tmp_path, b"<text>visual loss</text>", b"")
    data = open(path, "rb").read().replace(b'role="Effect"', b'role="Agent"')
    open(path, "wb").write(data)
    first, _ = read_bioc_xml(path)
    assert first.mentions[5].text == "visual loss"
    assert list(first.relations[1].arguments) == ["Agent", "Agent#2"]
    write_bioc_xml([first], tmp_path / "out.xml")
    assert (tmp_path / "out.xml").read_text(encoding="utf-8").count('role="Agent"') == 2
    assert list(read_bioc_xml(tmp_path / "out.xml")) == [first]
