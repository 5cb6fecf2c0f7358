"""
BioC XML (`collection/document/passage/annotation/location`, `relation/node`), read and written.

Reading uses the `bioc` package's streaming reader (`bioc.biocxml.BioCXMLDocumentReader`, lxml's
iterparse): it reads the real releases (BC5CDR's, bconv's CRAFT and NCBI-disease excerpts with
annotations in `sentence` elements) one document at a time. Around it: the UTF-8 check (lxml names
no byte offset), a check that the root is `<collection>` (bioc silently yields nothing otherwise),
malformed XML reported with lxml's line and column, a bad value (`offset="x"`, for which bioc
raises a bare `ValueError`) with the line of the element, and the conversion to `Document`
(`bioc_common`): document-level offsets, passages kept apart, mention types from the `type` infon,
identifiers from the first of `identifier_keys` present.

Writing builds `bioc` objects and serializes each document with bioc's encoder
(`bioc.biocxml.encoder.encode_document`), streamed into one `<collection>` through lxml's
`xmlfile` (bioc's own `BioCXMLDocumentWriter` does the same, but writes no DOCTYPE and cannot
indent).
"""

import os
from typing import Iterable, Iterator, Optional, Sequence, Tuple

from bioc.biocxml.decoder import BioCXMLDocumentReader
from bioc.biocxml.encoder import encode_document
from lxml import etree

from allennlp_bioelmo.common.file_utils import atomic_output_path
from allennlp_bioelmo.documents.bioc_common import (
    DEFAULT_CONCEPT_ROLES,
    DEFAULT_IDENTIFIER_KEY,
    DEFAULT_IDENTIFIER_KEYS,
    from_bioc,
    to_bioc,
)
from allennlp_bioelmo.documents.document import Document, DocumentStatistics
from allennlp_bioelmo.documents.io_utils import (
    DocumentFormatError,
    TextMismatches,
    check_policy,
    check_utf8,
    finish_document,
)


def _syntax_error(path: str, error: etree.XMLSyntaxError) -> DocumentFormatError:
    line, column = error.position if error.position else (error.lineno or 0, 0)
    return DocumentFormatError(path, line or 0, f"malformed XML: {error.msg} (column {column})")


def _root_tag(path: str) -> Optional[str]:
    with open(path, "rb") as handle:
        try:
            for _, element in etree.iterparse(handle, events=("start",)):
                return element.tag
        except etree.XMLSyntaxError as error:
            raise _syntax_error(path, error) from None
    return None


def _bad_value(path: str) -> Tuple[int, str]:
    """(line, description) of the first <offset>/<location> that is not an integer (bioc's
    reader raises a bare `ValueError`/`TypeError` for it)."""

    def integer(value: Optional[str]) -> bool:
        try:
            int(value)
            return True
        except (TypeError, ValueError):
            return False

    with open(path, "rb") as handle:
        for _, element in etree.iterparse(handle, events=("end",)):
            if element.tag == "offset" and not integer(element.text):
                return element.sourceline or 0, f"<offset>{element.text}</offset>"
            if element.tag == "location":
                for name in ("offset", "length"):
                    if not integer(element.get(name)):
                        return element.sourceline or 0, f"<location {name}={element.get(name)!r}>"
    return 0, "a value"


def read_bioc_xml(
    path: str,
    *,
    identifier_keys: Sequence[str] = DEFAULT_IDENTIFIER_KEYS,
    type_key: str = "type",
    identifier_separator: str = "|",
    concept_roles: Sequence[str] = DEFAULT_CONCEPT_ROLES,
    discontinuous: str = "pieces",
    stats: Optional[DocumentStatistics] = None,
) -> Iterator[Document]:
    """
    The documents of a BioC XML file, in file order. `identifier_keys`: annotation infons tried in
    order for the identifier(s) (split at `identifier_separator`); `type_key`: the infon holding
    the mention type; `concept_roles`: relation infons read as concept arguments of a relation
    without nodes (BC5CDR's `Chemical`, `Disease`); `discontinuous`: the multi-span mention policy
    (`document.apply_discontinuous_policy`); `stats`: a `DocumentStatistics` to count into.
    Options are checked at the call, the file as it is read.
    """
    check_policy(discontinuous)
    options = dict(
        identifier_keys=identifier_keys,
        type_key=type_key,
        identifier_separator=identifier_separator,
        concept_roles=concept_roles,
        stats=stats,
    )
    return _read(os.fspath(path), discontinuous, stats, options)


def _read(
    path: str, discontinuous: str, stats: Optional[DocumentStatistics], options: dict
) -> Iterator[Document]:
    check_utf8(path)
    root = _root_tag(path)
    if root != "collection":
        raise DocumentFormatError(
            path, 1, f"expected a BioC XML <collection> root element, found <{root}>"
        )
    if stats is not None:
        stats.files += 1
    mismatches = TextMismatches(path, stats)
    with open(path, "rb") as handle:
        reader = None
        while True:
            try:
                if reader is None:
                    reader = BioCXMLDocumentReader(handle)  # reads the first document
                source = next(reader)
            except StopIteration:
                break
            except etree.XMLSyntaxError as error:
                raise _syntax_error(path, error) from None
            except (ValueError, TypeError) as error:
                line, value = _bad_value(path)
                raise DocumentFormatError(
                    path,
                    line,
                    f"unreadable BioC value {value} ({error}); expected integer offsets and "
                    "lengths",
                ) from None
            document = from_bioc(source, path, **options)
            yield finish_document(document, mismatches, discontinuous, stats)
    mismatches.warn()


def write_bioc_xml(
    documents: Iterable[Document],
    path: str,
    *,
    identifier_key: str = DEFAULT_IDENTIFIER_KEY,
    source: str = "",
    date: str = "",
    key: str = "",
) -> int:
    """
    Writes `documents` as one BioC XML collection (UTF-8, indented, DOCTYPE BioC.dtd); mention
    identifiers go into the infon `identifier_key`, joined by "|". Returns the document count.
    The file appears whole or not at all (written beside it, then renamed).
    """
    path = os.fspath(path)
    count = 0
    with atomic_output_path(path) as temporary:
        with etree.xmlfile(temporary, encoding="UTF-8") as output:
            output.write_declaration()
            output.write_doctype('<!DOCTYPE collection SYSTEM "BioC.dtd">')
            with output.element("collection"):
                output.write("\n")
                for tag, value in (("source", source), ("date", date), ("key", key)):
                    element = etree.Element(tag)
                    element.text = value
                    output.write(element, pretty_print=True)
                for document in documents:
                    try:
                        document.validate()
                        element = encode_document(to_bioc(document, identifier_key))
                        output.write(element, pretty_print=True)
                    except ValueError as error:
                        raise DocumentFormatError(
                            path, 0, f"cannot be written as BioC XML: {error}", document.id
                        ) from None
                    count += 1
    return count
