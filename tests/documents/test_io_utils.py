import pytest

from allennlp_bioelmo.documents import DocumentFormatError
from allennlp_bioelmo.documents.io_utils import check_utf8, iter_lines, read_text


def test_check_utf8_across_chunks_names_line_and_byte_offset(tmp_path):
    good = "naïve β-blocker\nµg\n".encode("utf-8")
    path = tmp_path / "text.txt"
    path.write_bytes(good * 5)
    for size in (1, 2, 3, 7, 1 << 20):  # multi-byte characters split across chunks
        check_utf8(str(path), chunk_size=size)
    bad = good * 3 + b"ok \xff\n" + good
    path.write_bytes(bad)
    offset = len(good * 3) + 3
    for size in (1, 2, 5, 7, 1 << 20):
        with pytest.raises(DocumentFormatError) as error:
            check_utf8(str(path), chunk_size=size)
        assert str(error.value).endswith(
            f"text.txt, line 7: not valid UTF-8: byte 0xff at byte offset {offset}"
        )
    # a truncated character at the very end
    path.write_bytes(good + "ï".encode("utf-8")[:1])
    with pytest.raises(DocumentFormatError, match=f"byte 0xc3 at byte offset {len(good)}"):
        check_utf8(str(path), chunk_size=4)


def test_check_utf8_leaves_other_declared_xml_encodings_to_the_parser(tmp_path):
    path = tmp_path / "latin.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<collection>\xe9</collection>')
    check_utf8(str(path))


def test_lines_and_text_drop_the_bom_and_line_ends(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntwo\nthree")
    assert list(iter_lines(str(path))) == [(1, "one"), (2, "two"), (3, "three")]
    assert read_text(str(path)) == "one\r\ntwo\nthree"  # standoff offsets count "\r"
    path.write_bytes(b"one\r\ntw\xfe\n")
    with pytest.raises(
        DocumentFormatError, match=r"line 2: not valid UTF-8: byte 0xfe at byte offset 7"
    ):
        list(iter_lines(str(path)))
