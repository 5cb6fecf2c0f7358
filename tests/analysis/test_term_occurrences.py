"""Reading every input format, finding a term, and the three label sources."""

import os

import pytest

from allennlp_bioelmo.analysis import AnalysisError
from allennlp_bioelmo.analysis.term_occurrences import (
    abbreviation_labels,
    detect_input_format,
    file_labels,
    find_occurrences,
    gold_labels,
    looks_whitespace_tokenized,
    read_collection,
    sample_occurrences,
)
from tests import FIXTURES

ANALYSIS = os.path.join(FIXTURES, "analysis")
ER = "estrogen receptor"
RETICULUM = "endoplasmic reticulum"


def fixture(name):
    return os.path.join(ANALYSIS, name)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("sentences.txt", "sentences"),
        ("abstracts.txt", "text"),
        ("er.pubtator", "pubtator"),
        ("er.bioc.xml", "bioc_xml"),
        ("er.bioc.json", "bioc_json"),
    ],
)
def test_format_detected(name, expected):
    assert detect_input_format(fixture(name)) == expected


def test_tokenized_text_told_from_raw_text():
    assert looks_whitespace_tokenized(["The receptor ( ER ) binds , then moves ."])
    assert not looks_whitespace_tokenized(["The receptor (ER) binds, then moves."])
    assert not looks_whitespace_tokenized(["no punctuation at all"])


def test_terms_match_whole_tokens_case_sensitively(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("ER, ERs and er differ. ER-positive cells. IL-2 and IL - 2.\n")
    collection = read_collection(str(path))
    assert collection.format == "text"
    occurrences = find_occurrences(collection, ["ER", "IL-2"])
    found = [(o.term, o.char_span(collection)) for o in occurrences]
    # "ER-positive" is tokenized "ER - positive"; "IL-2" matches both spellings as tokens
    assert found == [("ER", (0, 2)), ("ER", (23, 25)), ("IL-2", (42, 46)), ("IL-2", (51, 57))]


def test_sentences_keep_their_tokens_and_offsets():
    collection = read_collection(fixture("sentences.txt"))
    first = collection.documents[0]
    assert first.sentences[0].tokens[:5] == ["The", "estrogen", "receptor", "(", "ER"]
    occurrence = find_occurrences(collection, ["ER"])[0]
    assert first.text[slice(*occurrence.char_span(collection))] == "ER"
    assert occurrence.sentence_text(collection).startswith("The estrogen receptor ( [ER] )")


def test_abbreviations_label_the_same_sentence_only_in_sentence_files():
    collection = read_collection(fixture("sentences.txt"))
    occurrences = find_occurrences(collection, ["ER"])
    labels = abbreviation_labels(collection, occurrences)
    assert labels[:2] == [ER, ER]  # "( ER )" and the later ER of the first sentence
    assert labels.count(ER) == 8 and labels.count(RETICULUM) == 8
    # the two sentences without a definition stay unlabelled
    assert [o.document for o, label in zip(occurrences, labels) if label is None] == [10, 11]


def test_abbreviations_label_a_whole_document():
    collection = read_collection(fixture("abstracts.txt"))
    occurrences = find_occurrences(collection, ["ER"])
    labels = abbreviation_labels(collection, occurrences)
    first_document = [label for o, label in zip(occurrences, labels) if o.document == 0]
    assert first_document == [ER, ER, ER]  # the definition's sentence and two later ones
    assert labels.count(None) == 1  # the last document defines nothing


def test_a_later_definition_relabels_what_follows(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(
        "ER was low. The estrogen receptor (ER) binds. ER again. Then the endoplasmic "
        "reticulum (ER) swelled. The ER broke.\n"
    )
    collection = read_collection(str(path))
    occurrences = find_occurrences(collection, ["ER"])
    labels = abbreviation_labels(collection, occurrences)
    # before any definition: the first one; afterwards: the nearest one before
    assert labels == [ER, ER, ER, RETICULUM, RETICULUM]


@pytest.mark.parametrize("name", ["er.pubtator", "er.bioc.xml", "er.bioc.json"])
def test_gold_labels_from_annotated_documents(name):
    collection = read_collection(fixture(name))
    occurrences = find_occurrences(collection, ["ER"])
    types = gold_labels(collection, occurrences, "gold")
    identifiers = gold_labels(collection, occurrences, "gold-identifier")
    assert len(occurrences) == 15
    assert types.count("Gene") == 7 and types.count("CellularComponent") == 7
    assert identifiers.count("2099") == 7 and identifiers.count("GO:0005783") == 7
    assert types[-1] is None and identifiers[-1] is None  # 1005's second ER: not annotated


def test_label_file_with_tokens_and_text_entries():
    collection = read_collection(fixture("sentences.txt"))
    occurrences = find_occurrences(collection, ["ER"])
    labels, report = file_labels(collection, occurrences, fixture("labels.jsonl"))
    assert report.entries == 7 and report.matched == 6 and report.unmatched_lines == [7]
    assert labels.count(ER) == 3 and labels.count(RETICULUM) == 3
    assert labels[:2] == [ER, ER] and labels.count(None) == len(occurrences) - 6


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", "line 1: not JSON"),
        ('{"start": 0, "end": 1, "label": "x"}', 'give "tokens"'),
        ('{"tokens": ["ER"], "start": "0", "end": 1, "label": "x"}', '"start" must be an integer'),
        ('{"tokens": ["ER"], "start": 1, "end": 1, "label": "x"}', '"start" must be below "end"'),
        ('{"tokens": ["ER"], "start": 0, "end": 1}', '"label" must be'),
    ],
)
def test_bad_label_file_lines_are_named(tmp_path, line, message):
    path = tmp_path / "labels.jsonl"
    path.write_text(line + "\n")
    collection = read_collection(fixture("sentences.txt"))
    with pytest.raises(AnalysisError, match=message):
        file_labels(collection, find_occurrences(collection, ["ER"]), str(path))


def test_sample_is_seeded_and_keeps_reading_order():
    collection = read_collection(fixture("sentences.txt"))
    occurrences = find_occurrences(collection, ["ER"])
    first = sample_occurrences(occurrences, 5, seed=3)
    assert first == sample_occurrences(occurrences, 5, seed=3)
    assert first != sample_occurrences(occurrences, 5, seed=4)
    assert [occurrences.index(o) for o in first] == sorted(occurrences.index(o) for o in first)
    assert sample_occurrences(occurrences, 100, seed=3) == occurrences


def test_missing_and_empty_inputs(tmp_path):
    with pytest.raises(AnalysisError, match="input file not found"):
        read_collection(str(tmp_path / "missing.txt"))
    (tmp_path / "empty.txt").write_text("\n\n")
    with pytest.raises(AnalysisError, match="holds no documents"):
        read_collection(str(tmp_path / "empty.txt"))
