import json

import bioc
import pytest

from allennlp_bioelmo.documents import (
    DocumentFormatError,
    DocumentStatistics,
    read_bioc_json,
    read_bioc_xml,
    write_bioc_json,
)
from tests.conftest import shared_data
from tests.documents import fixture

SAMPLE = fixture("sample.bioc.json")
SAMPLE_XML = fixture("sample.bioc.xml")


def sample_json() -> dict:
    return json.load(open(SAMPLE, encoding="utf-8"))


def write_json(tmp_path, value, name="variant.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_sample_reads_as_its_xml_twin():
    """The JSON sample is the XML sample's content with the keys BioRED-style files leave out
    (`date`, `key`, empty `infons`, `sentences`, `annotations`, `relations`)."""
    assert list(read_bioc_json(SAMPLE)) == list(read_bioc_xml(SAMPLE_XML))


def test_bioc_decoder_fails_on_omitted_keys_which_is_why_we_decode_ourselves():
    with pytest.raises(KeyError):
        bioc.biocjson.loads(open(SAMPLE, encoding="utf-8").read())


def test_round_trip(tmp_path):
    documents = list(read_bioc_json(SAMPLE))
    path = tmp_path / "out.json"
    assert write_bioc_json(documents, path, source="test") == 2
    assert list(read_bioc_json(path)) == documents
    written = json.load(open(path, encoding="utf-8"))
    assert written["source"] == "test" and len(written["documents"]) == 2
    # what bioc itself reads: the writer emits every key its decoder looks up
    collection = bioc.biocjson.loads(path.read_text(encoding="utf-8"))
    assert [d.id for d in collection.documents] == ["1001", "PMC1"]


def test_shapes_in_use_are_read(tmp_path):
    expected = list(read_bioc_json(SAMPLE))
    documents = sample_json()["documents"]
    shapes = {
        "list.json": json.dumps(documents),
        "wrapped.json": json.dumps({"PubTator3": documents}),
        "lines.jsonl": "\n".join(json.dumps(d) for d in documents) + "\n",
    }
    for name, text in shapes.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert list(read_bioc_json(tmp_path / name)) == expected, name
    (tmp_path / "one.json").write_text(json.dumps(documents[0]), encoding="utf-8")
    assert list(read_bioc_json(tmp_path / "one.json")) == expected[:1]


def test_bom_and_crlf_are_accepted(tmp_path):
    data = open(SAMPLE, "rb").read()
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    assert list(read_bioc_json(tmp_path / "bom.json")) == list(read_bioc_json(SAMPLE))


def test_document_without_passages_names_file_and_document(tmp_path):
    value = sample_json()
    del value["documents"][1]["passages"]
    path = write_json(tmp_path, value)
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_json(path))
    assert "variant.json: document PMC1: has no 'passages'" in str(error.value)


def test_invalid_json_names_file_and_line(tmp_path):
    text = open(SAMPLE, encoding="utf-8").read()
    broken = text.replace('"offset": 52,', '"offset": 52,,', 1)
    line = text[: text.index('"offset": 52,')].count("\n") + 1
    (tmp_path / "broken.json").write_text(broken, encoding="utf-8")
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_json(tmp_path / "broken.json"))
    assert f"broken.json, line {line}: not valid JSON" in str(error.value)
    # in JSON lines, the line of the document
    lines = [json.dumps(d) for d in sample_json()["documents"]]
    (tmp_path / "broken.jsonl").write_text(lines[0] + "\n" + lines[1][:-1] + "\n")
    with pytest.raises(DocumentFormatError, match=r"broken.jsonl, line 2: not valid JSON"):
        list(read_bioc_json(tmp_path / "broken.jsonl"))


def test_non_utf8_names_file_line_and_byte_offset(tmp_path):
    data = open(SAMPLE, "rb").read()
    offset = data.index("naïve".encode("utf-8")) + 2
    (tmp_path / "latin.json").write_bytes(data[:offset] + b"\xe9" + data[offset + 1 :])
    line = data[:offset].count(b"\n") + 1
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_json(tmp_path / "latin.json"))
    assert f"latin.json, line {line}: not valid UTF-8: byte 0xe9 at byte offset {offset}" in str(
        error.value
    )


def test_bad_values_name_the_document_and_where(tmp_path):
    value = sample_json()
    value["documents"][0]["passages"][1]["annotations"][1]["locations"][0]["offset"] = "75a"
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_json(write_json(tmp_path, value)))
    assert (
        "variant.json: document 1001: passages[1].annotations[1].locations[0].offset: expected "
        "an integer, found '75a'"
    ) in str(error.value)
    value = sample_json()
    value["documents"][0]["passages"][1]["annotations"][1]["locations"][0]["length"] = 1100
    with pytest.raises(DocumentFormatError, match="document 1001: annotation 5: location offset"):
        list(read_bioc_json(write_json(tmp_path, value)))
    value = sample_json()
    value["documents"][0]["relations"][1]["nodes"][1]["refid"] = "55"
    with pytest.raises(DocumentFormatError) as error:
        list(read_bioc_json(write_json(tmp_path, value)))
    assert "document 1001: relation R1 names a missing annotation or relation '55'" in str(
        error.value
    )
    with pytest.raises(DocumentFormatError, match="expected a BioC collection"):
        list(read_bioc_json(write_json(tmp_path, {"articles": 3})))


# bconv's excerpts: the same documents in BioC XML and BioC JSON (README counts)

EXAMPLES = {
    # name: (documents, passages, mentions by type, multi-location, relations)
    "NCBIdevset": (9, 18, {"SpecificDisease": 38, "Modifier": 19, "DiseaseClass": 17}, 0, 0),
    "BC5CDR": (1, 2, {"Chemical": 3, "Disease": 3}, 0, 1),
    "CRAFT": (1, 6, {"Cell": 40}, 4, 0),
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_bioc_examples_xml_and_json_give_identical_documents(name):
    xml_stats, json_stats = DocumentStatistics(), DocumentStatistics()
    from_xml = list(
        read_bioc_xml(shared_data("bioc-json-examples", f"{name}-example.xml"), stats=xml_stats)
    )
    from_json = list(
        read_bioc_json(shared_data("bioc-json-examples", f"{name}-example.json"), stats=json_stats)
    )
    assert from_json == from_xml
    documents, passages, mentions, multi, relations = EXAMPLES[name]
    assert (json_stats.documents, json_stats.passages) == (documents, passages)
    assert json_stats.mentions == mentions
    assert sum(json_stats.discontinuous.values()) == multi
    assert json_stats.relation_count == relations
    assert json_stats.text_mismatches == 0  # CRAFT's pieces are joined by " ... "
    assert json_stats.to_dict() == xml_stats.to_dict()
    if name == "BC5CDR":
        (relation,) = from_json[0].relations
        assert relation.type == "CID" and relation.is_mention_level  # nodes, unlike the release
