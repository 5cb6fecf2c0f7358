import pytest

from allennlp_bioelmo.data.bilm_inputs import read_sentences, read_vocabulary_file
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError


@pytest.mark.parametrize("tokenize_raw_text", [False, True])
def test_sentences_with_utf8_bom_and_crlf(tmp_path, tokenize_raw_text):
    path = tmp_path / "sentences.txt"
    path.write_bytes(b"\xef\xbb\xbfGermline BRCA1 mutations\r\np53\r\n")
    assert read_sentences(str(path), tokenize_raw_text) == [
        ["Germline", "BRCA1", "mutations"],
        ["p53"],
    ]


def test_jsonl_sentences_with_bom_and_tokens_that_are_not_strings(tmp_path):
    path = tmp_path / "tokens.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"tokens": ["p53", "binds"]}\r\n')
    assert read_sentences(str(path)) == [["p53", "binds"]]
    path.write_text('{"tokens": ["p53"]}\n{"tokens": "p53"}\n')
    with pytest.raises(DataFormatError, match="tokens.jsonl, line 2: 'tokens' must be a list"):
        read_sentences(str(path))
    path.write_text('{"tokens": [1, 2]}\n')
    with pytest.raises(DataFormatError, match="line 1: .*found int 1 at position 0"):
        read_sentences(str(path))


def test_vocabulary_with_utf8_bom_and_crlf(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_bytes(b"\xef\xbb\xbf<S>\r\n</S>\r\n<UNK>\r\np53\r\n")
    assert read_vocabulary_file(str(path)) == ["<S>", "</S>", "<UNK>", "p53"]
