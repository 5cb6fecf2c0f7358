import json
import logging
import os
from collections import Counter

import pytest
from allennlp.common.checks import ConfigurationError
from allennlp.data.dataset_readers.dataset_reader import WorkerInfo

from allennlp_bioelmo.data.dataset_readers import BioBiocDatasetReader, BioPubtatorDatasetReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from tests import FIXTURES
from tests.conftest import shared_data

XML = os.path.join(FIXTURES, "documents", "sample.bioc.xml")
JSON = os.path.join(FIXTURES, "documents", "sample.bioc.json")
OVERLAPPING = "overlaps a longer (or an equally long, earlier) mention"


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


def fingerprint(instances):
    return [
        (
            i["metadata"]["document_id"],
            i["metadata"]["words"],
            i["tags"].labels,
            i["metadata"]["offsets"],
        )
        for i in instances
    ]


def assert_balanced(statistics):
    """placed + dropped == read, for every mention type."""
    assert statistics.unbalanced_mention_types() == {}
    summary = statistics.to_dict()["mentions"]
    for mention_type, read in summary["read"].items():
        dropped = summary["dropped"].get(mention_type, {"count": 0})["count"]
        assert summary["placed"].get(mention_type, 0) + dropped == read, mention_type


def test_title_and_abstract_are_sentences_of_their_own_and_composites_are_covered():
    reader = BioBiocDatasetReader()
    instances = list(reader.read(XML))
    assert [i["metadata"]["document_id"] for i in instances] == ["1001", "1001", "PMC1", "PMC1"]
    # the composite mention's tags; its individual mentions (one gappy) are dropped as overlapping
    assert entities(instances[0]) == [
        ("Disease", "Ocular and auditory toxicity"),
        ("Chemical", "desferrioxamine"),
    ]
    assert entities(instances[1]) == [("Chemical", "Desferrioxamine"), ("Disease", "visual loss")]
    # "ES ... cells" covers "ES and germ cells", so the nested "germ cells" is dropped
    assert entities(instances[3]) == [("Cell", "ES and germ cells")]
    statistics = reader.statistics.to_dict()
    assert statistics["documents"] == 2 and statistics["sentences"] == 4
    assert statistics["tokens"] == sum(len(i["metadata"]["words"]) for i in instances)
    assert statistics["mentions"]["read"] == {"Cell": 3, "Chemical": 2, "Disease": 4}
    assert statistics["mentions"]["placed"] == {"Cell": 2, "Chemical": 2, "Disease": 2}
    assert statistics["mentions"]["dropped"] == {
        "Cell": {"count": 1, "reasons": {OVERLAPPING: 1}},
        "Disease": {"count": 2, "reasons": {OVERLAPPING: 2}},
    }
    assert statistics["mentions"]["discontinuous"] == {
        "policy": "covering",
        "count": {"Cell": 1, "Disease": 1},
    }
    assert_balanced(reader.statistics)


def test_offsets_are_document_offsets():
    text = (
        "Ocular and auditory toxicity after desferrioxamine. "
        "Desferrioxamine caused visual loss in two naïve patients."
    )
    for instance in BioBiocDatasetReader().read(XML):
        if instance["metadata"]["document_id"] == "1001":
            for word, (start, end) in zip(
                instance["metadata"]["words"], instance["metadata"]["offsets"]
            ):
                assert text[start:end] == word


def test_xml_and_json_of_one_collection_read_alike():
    xml, json_reader = BioBiocDatasetReader(), BioBiocDatasetReader()
    assert fingerprint(xml.read(XML)) == fingerprint(json_reader.read(JSON))
    assert xml.statistics == json_reader.statistics


def test_statistics_are_reset_by_every_read():
    reader = BioBiocDatasetReader()
    list(reader.read(XML))
    first = reader.statistics.to_dict()
    list(reader.read(XML))
    assert reader.statistics.to_dict() == first


def test_entity_type_filter_counts_the_others_as_not_selected():
    reader = BioBiocDatasetReader(entity_types=["Chemical", "Disease"])
    tags = {tag for i in reader.read(XML) for tag in i["tags"].labels}
    assert tags == {"O", "B-Chemical", "B-Disease", "I-Disease"}
    dropped = reader.statistics.to_dict()["mentions"]["dropped"]
    assert dropped["Cell"] == {"count": 3, "reasons": {"type not selected": 3}}
    assert reader.statistics.mentions_read["Cell"] == 3  # read counts what the file holds
    assert_balanced(reader.statistics)


@pytest.mark.parametrize(
    "policy, cell_entities, dropped_reasons",
    [
        ("covering", [("Cell", "ES and germ cells")], {OVERLAPPING: 1}),
        ("first_span", [("Cell", "ES"), ("Cell", "germ cells")], {}),
        ("drop", [("Cell", "germ cells")], {"several spans (discontinuous='drop')": 1}),
    ],
)
def test_discontinuous_policies(policy, cell_entities, dropped_reasons):
    reader = BioBiocDatasetReader(discontinuous=policy)
    instances = list(reader.read(XML))
    assert entities(instances[3]) == cell_entities
    dropped = reader.statistics.to_dict()["mentions"]["dropped"].get("Cell", {"reasons": {}})
    assert dropped["reasons"] == dropped_reasons
    assert reader.statistics.mentions_discontinuous == Counter({"Cell": 1, "Disease": 1})
    assert reader.statistics.discontinuous_policy == policy
    assert_balanced(reader.statistics)


def test_pieces_cannot_be_bio_tagged():
    with pytest.raises(ConfigurationError, match="BIO tags cannot leave a gap"):
        BioBiocDatasetReader(discontinuous="pieces")


def test_identifier_keys_and_type_key(tmp_path):
    text = open(XML, encoding="utf-8").read().replace('key="type"', 'key="kind"')
    path = tmp_path / "kind.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFormatError, match="has no infon 'type'"):
        list(BioBiocDatasetReader().read(str(path)))
    reader = BioBiocDatasetReader(type_key="kind", identifier_keys=["MESH"])
    assert fingerprint(reader.read(str(path))) == fingerprint(BioBiocDatasetReader().read(XML))


def test_workers_share_the_documents_and_the_statistics_add_up():
    whole = BioBiocDatasetReader()
    everything = fingerprint(whole.read(XML))
    shards, read = [], Counter()
    for worker in range(2):
        reader = BioBiocDatasetReader()
        reader._set_worker_info(WorkerInfo(num_workers=2, id=worker))
        shards.extend(fingerprint(reader.read(XML)))
        read.update(reader.statistics.mentions_read)
        assert reader.statistics.documents == 1
    assert sorted(map(repr, shards)) == sorted(map(repr, everything))
    assert read == whole.statistics.mentions_read


def test_a_file_of_another_format_is_named(tmp_path):
    path = os.path.join(FIXTURES, "documents", "sample.pubtator.txt")
    with pytest.raises(DataFormatError, match="looks like pubtator \\(use bio_pubtator\\)"):
        list(BioBiocDatasetReader().read(path))


# ---- bad input: every problem named with the file and the line or document -----------------------


def test_malformed_xml_names_file_and_line(tmp_path):
    path = tmp_path / "broken.xml"
    lines = open(XML, encoding="utf-8").read().split("\n")
    lines[12] = lines[12].replace("</text>", "</txt>")  # line 13: a mismatched tag
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"broken.xml, line 13: malformed XML"):
        list(BioBiocDatasetReader().read(str(path)))


def test_json_document_without_passages_names_file_and_document(tmp_path):
    path = tmp_path / "nopassages.json"
    path.write_text(json.dumps({"documents": [{"id": "D1", "infons": {}}]}))
    with pytest.raises(
        DataFormatError, match=r"nopassages.json: document D1: has no 'passages'"
    ) as error:
        list(BioBiocDatasetReader().read(str(path)))
    assert str(path) in str(error.value)


def test_offset_beyond_the_text_names_file_and_document(tmp_path):
    path = tmp_path / "beyond.xml"
    text = open(XML, encoding="utf-8").read()
    path.write_text(text.replace('offset="75" length="11"', 'offset="75" length="500"'))
    with pytest.raises(
        DataFormatError,
        match=r"beyond.xml: document 1001: annotation 5: location offset 75 length 500 lies "
        r"beyond the document text",
    ):
        list(BioBiocDatasetReader().read(str(path)))


@pytest.mark.parametrize("source", [XML, JSON])
def test_non_utf8_bytes_name_file_and_line(tmp_path, source):
    data = open(source, "rb").read()
    offset = data.index("naïve".encode("utf-8")) + 2  # the second byte of "ï"
    path = tmp_path / ("latin" + os.path.splitext(source)[1])
    path.write_bytes(data[:offset] + b"\xff" + data[offset + 1 :])
    line = data.count(b"\n", 0, offset) + 1
    with pytest.raises(DataFormatError) as error:
        list(BioBiocDatasetReader().read(str(path)))
    assert f"{path}, line {line}: not valid UTF-8" in str(error.value)


def test_overlapping_mentions_are_counted_warnings_not_errors(caplog):
    with caplog.at_level(logging.WARNING):
        list(BioBiocDatasetReader().read(XML))
    assert (
        f"{XML}: 3 mentions dropped (Cell 1, Disease 2): each overlaps a longer (or an equally "
        "long, earlier) mention already tagged" in caplog.text
    )


# ---- the real corpora --------------------------------------------------------------------------


def test_bioc_examples_xml_and_json_agree():
    for name in ("NCBIdevset", "BC5CDR", "CRAFT"):
        xml, json_reader = BioBiocDatasetReader(), BioBiocDatasetReader()
        from_xml = fingerprint(xml.read(shared_data("bioc-json-examples", f"{name}-example.xml")))
        from_json = fingerprint(
            json_reader.read(shared_data("bioc-json-examples", f"{name}-example.json"))
        )
        assert from_xml == from_json and from_xml, name
        assert xml.statistics == json_reader.statistics
        assert_balanced(xml.statistics)


def test_real_cdr_bioc_training_counts():
    reader = BioBiocDatasetReader(entity_types=["Chemical", "Disease"])
    instances = list(reader.read(shared_data("cdr-bioc", "CDR_TrainingSet.BioC.xml")))
    statistics = reader.statistics.to_dict()
    assert statistics["documents"] == 500
    assert statistics["sentences"] == len(instances)
    mentions = statistics["mentions"]
    # what the BioC file holds: the PubTator release's mentions plus the IndividualMentions of
    # its composite mentions (Chemical 4, Disease 181), 73 of them with two locations
    assert mentions["read"] == {"Chemical": 5207, "Disease": 4363}
    assert mentions["placed"] == {"Chemical": 5203, "Disease": 4182}
    assert mentions["dropped"] == {
        "Chemical": {"count": 4, "reasons": {OVERLAPPING: 4}},
        "Disease": {"count": 181, "reasons": {OVERLAPPING: 181}},
    }
    assert mentions["discontinuous"] == {
        "policy": "covering",
        "count": {"Chemical": 2, "Disease": 71},
    }
    assert_balanced(reader.statistics)


def entity_spans(instance):
    """(type, start, end) character spans of the instance's entities."""
    found, current = [], None
    for (start, end), tag in zip(instance["metadata"]["offsets"], instance["tags"].labels):
        if tag.startswith("B-"):
            current = [tag[2:], start, end]
            found.append(current)
        elif tag.startswith("I-"):
            current[2] = end
    return [tuple(entity) for entity in found]


def test_real_cdr_bioc_and_pubtator_releases_give_the_same_sentences_and_entities():
    bioc = list(BioBiocDatasetReader().read(shared_data("cdr-bioc", "CDR_TrainingSet.BioC.xml")))
    pubtator = list(
        BioPubtatorDatasetReader().read(shared_data("cdr-pubtator", "CDR_TrainingSet.PubTator.txt"))
    )
    assert len(bioc) == len(pubtator) == 4548

    def sentence(instance):
        offsets = instance["metadata"]["offsets"]
        return instance["metadata"]["document_id"], offsets[0][0], offsets[-1][1]

    # the same sentences (document, character span) with the same entities (type, span) ...
    assert [sentence(i) for i in bioc] == [sentence(i) for i in pubtator]
    assert [entity_spans(i) for i in bioc] == [entity_spans(i) for i in pubtator]
    # ... and the same tokens but in 3 sentences: there an IndividualMention of the BioC release
    # starts or ends inside a word ("defec|ts", "an|d", "dysfunctio|n", "cancer|s": its
    # offsets are off), and every mention boundary is a token boundary, so 4 words are split in
    # two (the tags of the words around them do not change)
    differing = [
        (b["metadata"]["document_id"], len(b["metadata"]["words"]) - len(p["metadata"]["words"]))
        for b, p in zip(bioc, pubtator)
        if b["metadata"]["words"] != p["metadata"]["words"]
    ]
    assert differing == [("20722491", 1), ("11587867", 1), ("15863244", 2)]
    identical = sum(fingerprint([b]) == fingerprint([p]) for b, p in zip(bioc, pubtator))
    assert identical == 4548 - 3
