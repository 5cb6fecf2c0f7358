import os

import pytest

from allennlp_bioelmo.documents import (
    FORMATS,
    DocumentFormatError,
    DocumentStatistics,
    detect_format,
    read_documents,
    write_documents,
)
from tests.conftest import SHARED_DATA
from tests.documents import fixture, without_ids

SAMPLES = {
    "bioc_xml": fixture("sample.bioc.xml"),
    "bioc_json": fixture("sample.bioc.json"),
    "pubtator": fixture("sample.pubtator.txt"),
    "brat": fixture("brat"),
    "ddi_xml": fixture("ddi"),
}


@pytest.mark.parametrize("name", list(SAMPLES))
def test_format_is_detected_from_the_content(name, tmp_path):
    assert detect_format(SAMPLES[name]) == name
    if os.path.isfile(SAMPLES[name]):
        # the content decides, not the name
        renamed = tmp_path / "corpus.dat"
        renamed.write_bytes(b"\xef\xbb\xbf" + open(SAMPLES[name], "rb").read())
        assert detect_format(renamed) == name


def test_single_files_of_directory_formats_are_detected():
    assert detect_format(fixture("brat", "lithium.ann")) == "brat"
    assert detect_format(fixture("brat", "lithium.txt")) == "brat"
    assert detect_format(fixture("ddi", "MedLine", "d900.xml")) == "ddi_xml"


@pytest.mark.parametrize(
    "relative, name",
    [
        ("cdr-bioc/CDR_TestSet.BioC.xml", "bioc_xml"),
        ("cdr-pubtator/CDR_TestSet.PubTator.txt", "pubtator"),
        ("bioc-json-examples/CRAFT-example.json", "bioc_json"),
        ("bioc-json-examples/CRAFT-example.xml", "bioc_xml"),
        ("ddi-2013-xml/Train", "ddi_xml"),
        ("ddi-2013-xml/Train/MedLine/11148572.xml", "ddi_xml"),
    ],
)
def test_real_files_are_detected(relative, name):
    path = os.path.join(SHARED_DATA, relative)
    if not os.path.exists(path):
        pytest.skip(f"real corpus not available: {path}")
    assert detect_format(path) == name


def test_unknown_content_and_formats_are_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("token\tO\n", encoding="utf-8")
    with pytest.raises(DocumentFormatError) as error:
        detect_format(tmp_path / "notes.txt")
    assert "notes.txt: cannot tell the format from the content" in str(error.value)
    assert "pass format= one of bioc_xml, bioc_json, pubtator, brat, ddi_xml" in str(error.value)
    with pytest.raises(DocumentFormatError, match="no such file or directory"):
        detect_format(tmp_path / "absent.xml")
    with pytest.raises(ValueError, match="unknown document format 'conll'"):
        read_documents(SAMPLES["pubtator"], format="conll")
    with pytest.raises(ValueError, match="ddi_xml is read only"):
        write_documents([], tmp_path / "out.xml", "ddi")


def test_read_documents_passes_options_and_accepts_aliases():
    stats = DocumentStatistics()
    documents = list(read_documents(SAMPLES["ddi_xml"], "ddi", discontinuous="drop", stats=stats))
    assert stats.discontinuous == {"drop": 1} and len(documents[0].mentions) == 4
    assert list(read_documents(SAMPLES["bioc_xml"], "bioc")) == list(
        read_documents(SAMPLES["bioc_json"])
    )
    assert FORMATS == ("bioc_xml", "bioc_json", "pubtator", "brat", "ddi_xml")


@pytest.mark.parametrize("target", ["bioc_xml", "bioc_json", "pubtator"])
def test_pubtator_converts_without_loss(target, tmp_path):
    """Concept-level relations (CID; BioRED's Association with its novelty column) and composite
    identifiers go through every format that holds concept relations."""
    documents = list(read_documents(SAMPLES["pubtator"]))
    path = tmp_path / "out"
    assert write_documents(documents, path, target) == 3
    assert list(read_documents(path, target)) == documents


@pytest.mark.parametrize("target", ["bioc_xml", "bioc_json", "brat"])
def test_bioc_and_ddi_convert_to_the_formats_holding_pieces(target, tmp_path):
    for source in ("bioc_xml", "ddi_xml"):
        documents = list(read_documents(SAMPLES[source]))
        if target == "brat":
            documents = [d for d in documents if not any(r.is_concept_level for r in d.relations)]
        path = tmp_path / f"{source}.out"
        write_documents(documents, path, target)
        back = list(read_documents(path, target))
        if target == "brat":  # one passage, ids renumbered
            assert [without_ids(d) for d in back] == [without_ids(d) for d in documents]
        else:
            assert back == documents


def test_bioc_to_pubtator_needs_a_policy_for_pieces(tmp_path):
    documents = list(read_documents(SAMPLES["bioc_xml"]))
    with pytest.raises(DocumentFormatError, match="document 1001: cannot be written as PubTator"):
        write_documents(documents, tmp_path / "out.txt", "pubtator")
    covering = list(read_documents(SAMPLES["bioc_xml"], discontinuous="covering"))
    write_documents(covering[:1], tmp_path / "out.txt", "pubtator", unwritable="drop")
    (back,) = read_documents(tmp_path / "out.txt")
    assert [(m.spans, m.identifiers) for m in back.mentions] == [
        (m.spans, m.identifiers) for m in covering[0].mentions
    ]
    assert [r.type for r in back.relations] == ["CID"]  # the mention-level one is dropped
