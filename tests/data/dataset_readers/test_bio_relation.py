import os

import pytest
from allennlp.common.checks import ConfigurationError

from tests import FIXTURES
from allennlp_bioelmo.data.dataset_readers import BioRelationDatasetReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from tests.conftest import shared_data

RELATION = os.path.join(FIXTURES, "data", "relation")


def read(name, **kwargs):
    return list(BioRelationDatasetReader(**kwargs).read(os.path.join(RELATION, name)))


def span_words(instance, key):
    span = instance[key]
    return instance["metadata"]["words"][span.span_start : span.span_end + 1]


def test_blue_tsv_with_header_and_labels():
    instances = read("chemprot_blue.tsv")
    assert [i["label"].label for i in instances] == ["cpr:4", "false", "cpr:3"]
    first = instances[0]
    assert span_words(first, "head") == ["@CHEMICAL$"] and span_words(first, "tail") == ["@GENE$"]
    assert first["metadata"]["head_type"] == "CHEMICAL" and first["metadata"]["id"] == "1"


def test_biobert_train_without_header_and_test_without_labels():
    train = read("gad_biobert_train.tsv")
    assert [i["label"].label for i in train] == ["1", "0"]
    test = read("gad_biobert_test.tsv")
    assert len(test) == 2 and all("label" not in i.fields for i in test)
    assert span_words(test[0], "tail") == ["@DISEASE$"]


def test_scibert_markers():
    instances = read("chemprot_scibert.jsonl")
    assert span_words(instances[0], "head") == ["Epidermal", "growth", "factor", "receptor"]
    assert span_words(instances[0], "tail") == ["gefitinib"]
    assert "<<" not in instances[0]["metadata"]["words"]
    assert span_words(instances[1], "head") == [
        "Ang",
        "II",
    ]  # ">>-induced": marker glued to a hyphen
    assert span_words(instances[2], "tail") == ["Aspirin"] and span_words(instances[2], "head") == [
        "COX",
        "-",
        "1",
    ]


def test_span_jsonl_with_characters_and_tokens():
    instances = read("spans.jsonl")
    assert span_words(instances[0], "tail") == ["nephrotoxicity"]
    assert span_words(instances[1], "head") == ["Lithium"] and span_words(instances[1], "tail") == [
        "tremor"
    ]


def test_dygie_pairs_with_negative_label():
    instances = read("dygie.jsonl", negative_label="NONE")
    pairs = [
        (" ".join(span_words(i, "head")), " ".join(span_words(i, "tail")), i["label"].label)
        for i in instances
    ]
    assert len(pairs) == 2 + 6  # ordered pairs of distinct entities per sentence
    assert ("Aspirin", "COX-1", "INHIBITOR") in pairs and ("COX-1", "Aspirin", "NONE") in pairs
    assert ("naproxen", "COX-2", "INHIBITOR") in pairs and (
        "Ibuprofen",
        "naproxen",
        "NONE",
    ) in pairs


def test_entity_representations():
    markers = read("spans.jsonl", entity_representation="typed_markers")[0]
    assert markers["metadata"]["words"][:3] == ["<head:Chemical>", "Cisplatin", "</head:Chemical>"]
    assert span_words(markers, "head") == ["<head:Chemical>", "Cisplatin", "</head:Chemical>"]
    masked = read("chemprot_scibert.jsonl", entity_representation="mask")[0]
    assert masked["metadata"]["words"][:3] == ["@HEAD$", "inhibitors", "include"]
    assert span_words(masked, "tail") == ["@TAIL$"]
    with pytest.raises(ConfigurationError, match="entity_representation must be one of"):
        BioRelationDatasetReader(entity_representation="bold")


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "a.tsv",
            "index\tsentence\tlabel\n1\t@GENE$ only\n",
            "line 2: expected 3 tab-separated columns",
        ),
        ("b.tsv", "no masks here\t1\n", "line 1: no entity mask"),
        ("c.jsonl", '{"text": "no markers", "label": "X"}\n', "line 1: expected one '<< head >>'"),
        (
            "d.jsonl",
            '{"text": "abc", "head": {"start": 0, "end": 9}, "tail": {"start": 0, "end": 1}}\n',
            "line 1: 'head' offsets 0-9 lie outside the text",
        ),
        (
            "e.jsonl",
            '{"text": "abc", "head": {"start": "x", "end": 1}, "tail": {"start": 0, "end": 1}}\n',
            "line 1: 'head' needs integer 'start' and 'end'",
        ),
        ("f.jsonl", '{"text": "<< a >> [[ b ]]"}\n{broken\n', "line 2: not valid JSON"),
        ("g.tsv", "", "the file is empty"),
    ],
)
def test_malformed_input(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(DataFormatError, match=message) as error:
        list(BioRelationDatasetReader().read(str(path)))
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    "split, count, labels", [("train", 4169, 13), ("dev", 2427, 12), ("test", 3469, 12)]
)
def test_real_chemprot_scibert(split, count, labels):
    instances = list(BioRelationDatasetReader().read(shared_data("chemprot", f"{split}.jsonl")))
    assert len(instances) == count
    assert len({i["label"].label for i in instances}) == labels
    assert all(span_words(i, "head") and span_words(i, "tail") for i in instances)


@pytest.mark.parametrize(
    "split, count, positives", [("train.tsv", 4796, 2520), ("test.tsv", 534, 281)]
)
def test_real_gad(split, count, positives):
    instances = list(BioRelationDatasetReader().read(shared_data("gad-fold1", split)))
    assert len(instances) == count
    assert sum(i["label"].label == "1" for i in instances) == positives
    # head = the first mask in the sentence, tail = the second
    assert all(
        sorted(span_words(i, "head") + span_words(i, "tail")) == ["@DISEASE$", "@GENE$"]
        for i in instances
    )
