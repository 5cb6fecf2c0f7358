"""
What every format module shares: UTF-8 reading (BOM and CRLF accepted; bad bytes named by file,
line and byte offset), errors that name the file and the line or document, the once-per-file
warning about mention texts that differ from the document, and the last steps of every reader.
"""

import codecs
import logging
import os
import re
from typing import Iterator, List, Optional, Sequence, Tuple

from allennlp_bioelmo.common.errors import DataFormatError
from allennlp_bioelmo.documents.document import (
    DISCONTINUOUS_POLICIES,
    Document,
    DocumentStatistics,
    Mention,
    apply_discontinuous_policy,
)

logger = logging.getLogger(__name__)

UTF8_BOM = codecs.BOM_UTF8


class DocumentFormatError(DataFormatError):
    """
    Malformed input to a document reader (or a document a writer cannot write): the message names
    the file, the line (1-based) where one is known, the document otherwise, and the problem.
    A `DataFormatError`, so code that catches the dataset readers' errors catches these too.
    """

    def __init__(
        self,
        file_path: str,
        line_number: int = 0,
        message: str = "",
        document_id: Optional[str] = None,
    ) -> None:
        if document_id is not None:
            message = f"document {document_id}: {message}"
        super().__init__(os.fspath(file_path), line_number, message)
        self.document_id = document_id


def _utf8_error(path: str, data: bytes, offset: int) -> DocumentFormatError:
    line = data.count(b"\n", 0, offset) + 1
    return DocumentFormatError(
        path, line, f"not valid UTF-8: byte 0x{data[offset]:02x} at byte offset {offset}"
    )


def read_text(path: str) -> str:
    """The file's text: UTF-8, a leading BOM dropped, line ends kept as they are (offsets of
    standoff formats count them)."""
    with open(path, "rb") as handle:
        data = handle.read()
    skip = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise _utf8_error(path, data, skip + error.start) from None


def iter_lines(path: str) -> Iterator[Tuple[int, str]]:
    """(line number, line without "\\n" or "\\r\\n") for every line; UTF-8, BOM accepted."""
    offset = 0
    with open(path, "rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            skip = len(UTF8_BOM) if line_number == 1 and raw.startswith(UTF8_BOM) else 0
            try:
                line = raw[skip:].decode("utf-8")
            except UnicodeDecodeError as error:
                bad = skip + error.start
                raise DocumentFormatError(
                    path,
                    line_number,
                    f"not valid UTF-8: byte 0x{raw[bad]:02x} at byte offset {offset + bad}",
                ) from None
            offset += len(raw)
            if line.endswith("\n"):
                line = line[:-1]
            if line.endswith("\r"):
                line = line[:-1]
            yield line_number, line


_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def check_utf8(path: str, chunk_size: int = 1 << 22) -> None:
    """
    Raises `DocumentFormatError` (file, line, byte offset) at the first byte that is not UTF-8,
    reading in chunks (XML is parsed from the file afterwards; lxml's own message names no byte
    offset). An XML file that declares another encoding is left to the parser.
    """
    with open(path, "rb") as handle:
        head = handle.read(200)
        declared = _XML_ENCODING.match(head.lstrip(UTF8_BOM))
        if declared and declared.group(1).lower().replace(b"-", b"").replace(b"_", b"") != b"utf8":
            return
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        consumed = 0  # bytes handed to the decoder before this chunk
        newlines = 0
        while True:
            chunk = handle.read(chunk_size)
            pending = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                data = pending + chunk
                offset = consumed - len(pending) + error.start
                line = newlines + data.count(b"\n", 0, error.start) + 1
                raise DocumentFormatError(
                    path,
                    line,
                    f"not valid UTF-8: byte 0x{data[error.start]:02x} at byte offset {offset}",
                ) from None
            if not chunk:
                return
            consumed += len(chunk)
            newlines += chunk.count(b"\n")


def files_under(path: str, extensions: Sequence[str]) -> List[str]:
    """`path` itself if it is a file, else the files below it ending in `extensions`, sorted."""
    if os.path.isfile(path):
        return [path]
    if not os.path.isdir(path):
        raise DocumentFormatError(path, 0, "no such file or directory")
    found = []
    for root, directories, names in os.walk(path):
        directories.sort()
        found.extend(
            os.path.join(root, name)
            for name in sorted(names)
            if name.lower().endswith(tuple(extensions))
        )
    return found


class TextMismatches:
    """
    Counts the mentions of one file whose text differs from the document at their spans (kept as
    they are, never shifted) and warns once for the file, with the count and the first example.
    """

    def __init__(self, path: str, stats: Optional[DocumentStatistics] = None) -> None:
        self.path = path
        self.stats = stats
        self.count = 0
        self.first: Optional[str] = None

    def check(self, document: Document, mention: Mention) -> bool:
        if document.mention_text_matches(mention):
            return True
        self.count += 1
        if self.stats is not None:
            self.stats.text_mismatches += 1
        if self.first is None:
            spans = ";".join(f"{start}-{end}" for start, end in mention.spans)
            self.first = (
                f"document {document.id}, mention {mention.id} {mention.text!r} at {spans} where "
                f"the text reads {document.text_at(mention.spans)!r}"
            )
        return False

    def warn(self) -> None:
        if self.count:
            logger.warning(
                "%s: %d mention text(s) differ from the document text at their offsets (kept "
                "as they are, not shifted); the first: %s",
                self.path,
                self.count,
                self.first,
            )


def finish_document(
    document: Document,
    mismatches: TextMismatches,
    discontinuous: str,
    stats: Optional[DocumentStatistics],
) -> Document:
    """The last steps of every reader: the mention text check, the discontinuous-mention
    policy, the statistics."""
    for mention in document.mentions:
        mismatches.check(document, mention)
    document = apply_discontinuous_policy(document, discontinuous, stats)
    if stats is not None:
        stats.count_document(document)
    return document


def check_policy(discontinuous: str) -> None:
    """Raises `ValueError` for an unknown discontinuous-mention policy (before any reading)."""
    if discontinuous not in DISCONTINUOUS_POLICIES:
        raise ValueError(
            f"discontinuous must be one of {', '.join(DISCONTINUOUS_POLICIES)}, "
            f"not {discontinuous!r}"
        )


def check_unwritable(unwritable: str) -> None:
    if unwritable not in ("error", "drop"):
        raise ValueError(f"unwritable must be 'error' or 'drop', not {unwritable!r}")
