import logging

import pytest
from allennlp.data.dataset_readers.dataset_reader import WorkerInfo

from allennlp_bioelmo.data.dataset_readers import BioConllDatasetReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    DataFormatError,
    LabelPresence,
    ReadReport,
    is_first_reader,
    optional_label,
    read_lines,
    read_text,
    require_integer,
    require_string,
    require_tokens,
    shard_description,
)


def test_read_lines_drops_a_bom_and_accepts_crlf(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntwo \xef\xbb\xbf\r\n\r\n")
    # only the file's first character is a byte-order mark; elsewhere U+FEFF is data
    assert list(read_lines(str(path))) == [(1, "one"), (2, "two \ufeff"), (3, "")]


def test_read_text_keeps_newlines_drops_the_bom_and_names_the_line_of_bad_utf8(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfab\r\ncd\n")
    assert read_text(str(path)) == "ab\r\ncd\n"
    path.write_bytes(b"ab\ncd\nxy\xe9z\n")
    with pytest.raises(DataFormatError, match=r"a.txt, line 3: not valid UTF-8 \(byte offset 2"):
        read_text(str(path))


@pytest.mark.parametrize(
    "check, message",
    [
        (lambda: require_string({"text": 12}, "text"), "'text' must be a string, found int 12"),
        (lambda: require_string({"text": " "}, "text"), "'text' is empty"),
        (lambda: require_string({}, "text"), "missing key 'text'"),
        (lambda: require_integer("3", "'start'"), "'start' must be an integer, found str '3'"),
        (lambda: require_integer(True, "'start'"), "'start' must be an integer, found bool"),
        (lambda: require_tokens("abc"), "'tokens' must be a list of strings .*found str 'abc'"),
        (lambda: require_tokens(["a", 1]), "found int 1 at position 1"),
        (lambda: optional_label({"label": None}), "'label' is null"),
        (lambda: optional_label({"label": ""}), "'label' is empty"),
        (lambda: optional_label({"label": ["a"]}), "'label' must be a string, found list"),
    ],
)
def test_json_value_checks_name_the_key_and_what_was_expected(check, message):
    with pytest.raises(ValueError, match=message):
        check()


def test_optional_label():
    assert optional_label({}) is None
    assert optional_label({"label": 1}) == "1" and optional_label({"label": "cpr:4"}) == "cpr:4"


def test_label_presence_rejects_a_file_mixing_labelled_and_unlabelled_records():
    presence = LabelPresence("f.jsonl")
    presence.check(1, "a")
    presence.check(2, "b")
    with pytest.raises(DataFormatError, match="f.jsonl, line 3: no 'label' here, but line 1 has"):
        presence.check(3, None)


def test_read_report_is_one_warning_per_file_with_counts_kinds_and_reasons(caplog):
    report = ReadReport("f.txt")
    report.log(logging.getLogger("test"))  # nothing counted: nothing logged
    report.count("mentions dropped", "they overlap", kind="Disease", example="d1")
    report.count("mentions dropped", "they overlap", kind="Chemical", number=2, example="d2")
    report.count("relations dropped", "no entity")
    assert report.total("mentions dropped") == 3
    with caplog.at_level(logging.WARNING):
        report.log(logging.getLogger("test"), " (worker 1 of 2)")
    assert [r.getMessage() for r in caplog.records] == [
        "f.txt (worker 1 of 2): 3 mentions dropped (Chemical 2, Disease 1): they overlap "
        "(e.g. d1, d2); 1 relations dropped: no entity"
    ]


def test_only_the_first_worker_reports_on_a_whole_file():
    reader = BioConllDatasetReader()
    assert is_first_reader(reader) and shard_description(reader) == ""
    reader._set_worker_info(WorkerInfo(num_workers=2, id=1))
    assert not is_first_reader(reader)
    assert shard_description(reader) == " (the share of data-loader worker 2 of 2)"
