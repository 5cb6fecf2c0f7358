import os

import pytest

from tests import FIXTURES
from allennlp_bioelmo.data.dataset_readers import BioNliDatasetReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError

SAMPLE = os.path.join(FIXTURES, "data", "mednli", "sample.jsonl")


def test_mednli_format():
    instances = list(BioNliDatasetReader().read(SAMPLE))
    assert [i["label"].label for i in instances] == [
        "entailment",
        "contradiction",
        "neutral",
        "entailment",
    ]
    assert [t.text for t in instances[0]["hypothesis"].tokens] == [
        "Patient",
        "has",
        "elevated",
        "Cr",
    ]
    assert "1.7" in [t.text for t in instances[0]["premise"].tokens]
    assert instances[1]["metadata"]["id"] == "p2"


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"sentence1": "a", "gold_label": "neutral"}\n',
            "line 1: missing or non-string \\['sentence2'\\]",
        ),
        (
            '{"sentence1": "a", "sentence2": "b", "gold_label": "maybe"}\n',
            "line 1: gold_label 'maybe' is not one of",
        ),
        ('\n{"sentence1": "a", "sentence2": "b"\n', "line 2: not valid JSON"),
        ("", "the file is empty"),
    ],
)
def test_malformed_input(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(DataFormatError, match=message):
        list(BioNliDatasetReader().read(str(path)))


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"sentence1": "a", "sentence2": "", "gold_label": "neutral"}\n',
            "bad.jsonl, line 1: 'sentence2' \\(hypothesis\\) is empty",
        ),
        (
            '{"sentence1": " ", "sentence2": "b", "gold_label": "neutral"}\n',
            "bad.jsonl, line 1: 'sentence1' \\(premise\\) is empty",
        ),
        (
            '{"sentence1": "a", "sentence2": "b", "gold_label": null}\n',
            "bad.jsonl, line 1: 'gold_label' is null",
        ),
        (
            '{"sentence1": "a", "sentence2": "b"}\n'
            '{"sentence1": "a", "sentence2": "b", "gold_label": "neutral"}\n',
            "bad.jsonl, line 2: a 'gold_label' here, but line 1 has none",
        ),
    ],
)
def test_empty_sentences_and_null_or_mixed_labels_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(DataFormatError, match=message):
        list(BioNliDatasetReader().read(str(path)))


def test_utf8_bom_and_crlf_read_like_the_plain_file(tmp_path):
    with open(SAMPLE, "rb") as handle:
        plain = handle.read()
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n"))

    def fingerprint(instances):
        return [(i["metadata"].metadata, i["label"].label) for i in instances]

    instances = list(BioNliDatasetReader().read(str(path)))
    assert fingerprint(instances) == fingerprint(BioNliDatasetReader().read(SAMPLE))
