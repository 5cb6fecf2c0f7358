import logging
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


def fingerprint(instances):
    return [
        (
            i["metadata"]["words"],
            (i["head"].span_start, i["head"].span_end),
            (i["tail"].span_start, i["tail"].span_end),
            i["label"].label if "label" in i.fields else None,
        )
        for i in instances
    ]


@pytest.mark.parametrize(
    "name",
    [
        "chemprot_blue.tsv",
        "gad_biobert_train.tsv",
        "gad_biobert_test.tsv",
        "chemprot_scibert.jsonl",
        "spans.jsonl",
        "dygie.jsonl",
    ],
)
def test_utf8_bom_and_crlf_read_like_the_plain_file_in_every_format(tmp_path, name):
    with open(os.path.join(RELATION, name), "rb") as handle:
        plain = handle.read()
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n"))
    instances = list(BioRelationDatasetReader().read(str(path)))
    assert instances and fingerprint(instances) == fingerprint(read(name))


@pytest.mark.parametrize(
    "name, content, message",
    [
        # values of the wrong JSON type
        (
            "text.jsonl",
            '{"text": 12, "label": "X"}\n',
            "line 1: 'text' must be a string, found int 12",
        ),
        (
            "span_text.jsonl",
            '{"text": 12, "head": {"start": 0, "end": 1}, "tail": {"start": 0, "end": 1}}\n',
            "line 1: 'text' must be a string, found int 12",
        ),
        (
            "tokens.jsonl",
            '{"tokens": "abc", "head": {"start": 0, "end": 1}, "tail": {"start": 1, "end": 2}}\n',
            "line 1: 'tokens' must be a list of strings \\(tokens\\), found str 'abc'",
        ),
        (
            "span_str.jsonl",
            '{"text": "abc", "head": {"start": "0", "end": 1}, "tail": {"start": 0, "end": 1}}\n',
            "line 1: 'head' needs integer 'start' and 'end', .*'start' is str '0'",
        ),
        (
            "dygie_str.jsonl",
            '{"sentences": [["a", "b"]], "ner": [[["0", "0", "X"], [1, 1, "Y"]]]}\n',
            "line 1: entity \\['0', '0', 'X'\\] of sentence 0 is not \\[start, end, type\\] with "
            "integer offsets",
        ),
        (
            "dygie_rel.jsonl",
            '{"sentences": [["a", "b"]], "ner": [[[0, 0, "X"], [1, 1, "Y"]]], '
            '"relations": [[["0", 0, 1, 1, "R"]]]}\n',
            "line 1: relation \\['0', 0, 1, 1, 'R'\\] is not \\[start, end, start, end, label\\]",
        ),
        (
            "dygie_two.jsonl",
            '{"sentences": [["a", "b"]], "ner": [[[0, 0, "X"], [1, 1, "Y"]]], '
            '"relations": [[[0, 0, 1, 1, "R"], [0, 0, 1, 1, "S"]]]}\n',
            "line 1: relation .* gives the pair a second label \\(it has 'R'\\)",
        ),
        (
            "two_heads.jsonl",
            '{"text": "<< a >> and << b >> [[ c ]]", "label": "X"}\n',
            "line 1: expected one '<< head >>' and one '\\[\\[ tail \\]\\]' in 'text', "
            "found 2 and 1",
        ),
        # an entity that covers no token
        (
            "empty_span.jsonl",
            '{"text": "a  b", "head": {"start": 1, "end": 2}, "tail": {"start": 0, "end": 1}}\n',
            "line 1: 'head' \\(characters 1-2, ' '\\) covers no token",
        ),
        (
            "cut_mask.jsonl",
            '{"text": "x @GENE$ y", "head": {"start": 0, "end": 4}, '
            '"tail": {"start": 9, "end": 10}}\n',
            "line 1: 'head' \\(characters 0-4, 'x @G'\\) cuts through the entity mask "
            "'@GENE\\$'",
        ),
        # BLUE tsv
        (
            "mask.tsv",
            "index\tsentence\tlabel\n1\t@CHEMICAL inhibits @GENE$.\tcpr:4\n",
            "line 2: expected two entity masks such as @CHEMICAL\\$ and @GENE\\$ \\(or one "
            "combined mask such as @CHEM-GENE\\$\\), found 1: @GENE\\$ \\('@CHEMICAL' lacks "
            "its closing",
        ),
        (
            "three.tsv",
            "@DRUG$ and @DRUG$ with @DRUG$.\t1\n",
            "line 1: expected two entity masks .* found 3",
        ),
        (
            "label.tsv",
            "index\tsentence\tlabel\n1\t@CHEMICAL$ inhibits @GENE$.\t\n",
            "line 2: the label column is empty",
        ),
        ("label2.tsv", "@GENE$ and @DISEASE$.\t \n", "line 1: the label column is empty"),
        # labels
        ("null.jsonl", '{"text": "<< a >> b [[ c ]]", "label": null}\n', "line 1: 'label' is null"),
        (
            "mixed.jsonl",
            '{"text": "<< a >> [[ c ]]", "label": "X"}\n{"text": "<< a >> [[ c ]]"}\n',
            "line 2: no 'label' here, but line 1 has one",
        ),
    ],
)
def test_bad_values_are_errors_naming_file_line_and_what_was_expected(
    tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(DataFormatError, match=message) as error:
        list(BioRelationDatasetReader().read(str(path)))
    assert str(path) in str(error.value)


def test_overlapping_entities_with_markers_name_file_and_line(tmp_path):
    path = tmp_path / "overlap.jsonl"
    path.write_text(
        '{"text": "a b c", "head": {"start": 0, "end": 3}, "tail": {"start": 2, "end": 5}}\n'
    )
    reader = BioRelationDatasetReader(entity_representation="typed_markers")
    with pytest.raises(DataFormatError, match="overlap.jsonl, line 1: entities .* overlap"):
        list(reader.read(str(path)))


def test_one_combined_mask_is_both_entities(tmp_path):
    path = tmp_path / "chem_gene.tsv"
    path.write_text("index\tsentence\tlabel\n1\tThe @CHEM-GENE$ complex.\tfalse\n")
    (instance,) = list(BioRelationDatasetReader().read(str(path)))
    assert span_words(instance, "head") == span_words(instance, "tail") == ["@CHEM-GENE$"]


def test_dygie_relations_between_non_entities_are_counted_and_warned(tmp_path, caplog):
    path = tmp_path / "dygie.jsonl"
    path.write_text(
        '{"doc_key": "d", "sentences": [["a", "b", "c"]], '
        '"ner": [[[0, 0, "X"], [1, 1, "Y"]]], '
        '"relations": [[[0, 0, 1, 1, "R"], [0, 1, 1, 1, "R"], [0, 0, 2, 2, "S"]]]}\n'
    )
    with caplog.at_level(logging.WARNING):
        instances = list(BioRelationDatasetReader().read(str(path)))
    assert sorted(i["label"].label for i in instances) == ["NONE", "R"]
    assert caplog.records[-1].getMessage() == (
        f"{path}: 2 relations dropped (R 1, S 1): their head or tail span is not an entity of "
        "their sentence's 'ner' list (or both are the same), so no pair carries their label "
        "(e.g. line 1 sentence 0 [0, 1, 1, 1, 'R'], line 1 sentence 0 [0, 0, 2, 2, 'S'])"
    )


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
