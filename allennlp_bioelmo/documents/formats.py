"""
One entry point for every format: `read_documents(path)` finds the format from the file's content
(`detect_format`), `write_documents(documents, path, format)` writes one.

| format | read | write | detected by |
|---|---|---|---|
| `bioc_xml` | yes | yes | XML with a `<collection>` element |
| `bioc_json` | yes | yes | JSON with `documents` (or `passages`) |
| `pubtator` | yes | yes | a first line `pmid\\|t\\|title` (or `\\|a\\|`) |
| `brat` | yes | yes | a `.ann`, a `.txt` with a `.ann` beside it, a directory of `.ann`s |
| `ddi_xml` | yes | no | XML with a `<document>` root holding `<sentence>`s (file or directory) |
"""

import os
import re
from typing import Callable, Dict, Iterable, Iterator, Optional

from allennlp_bioelmo.documents.bioc_json import read_bioc_json, write_bioc_json
from allennlp_bioelmo.documents.bioc_xml import read_bioc_xml, write_bioc_xml
from allennlp_bioelmo.documents.brat import read_brat, write_brat
from allennlp_bioelmo.documents.ddi_xml import read_ddi_xml
from allennlp_bioelmo.documents.document import Document
from allennlp_bioelmo.documents.io_utils import UTF8_BOM, DocumentFormatError, files_under
from allennlp_bioelmo.documents.pubtator import read_pubtator, write_pubtator

READERS: Dict[str, Callable[..., Iterator[Document]]] = {
    "bioc_xml": read_bioc_xml,
    "bioc_json": read_bioc_json,
    "pubtator": read_pubtator,
    "brat": read_brat,
    "ddi_xml": read_ddi_xml,
}
WRITERS: Dict[str, Callable[..., int]] = {
    "bioc_xml": write_bioc_xml,
    "bioc_json": write_bioc_json,
    "pubtator": write_pubtator,
    "brat": write_brat,
}
FORMATS = tuple(READERS)
ALIASES = {"bioc": "bioc_xml", "biocxml": "bioc_xml", "biocjson": "bioc_json", "ddi": "ddi_xml"}

_PUBTATOR_LINE = re.compile(r"^[^\t|]+\|[ta]\|")
_EXPECTED = (
    "expected BioC XML (<collection>), DDI XML (<document> with <sentence>s), BioC JSON "
    "({\"documents\": ...}), PubTator ('pmid|t|title') or BRAT (.txt beside .ann); pass format= "
    f"one of {', '.join(FORMATS)}"
)


def _format_name(format: str) -> str:
    name = ALIASES.get(format.lower(), format.lower())
    if name not in READERS:
        raise ValueError(f"unknown document format {format!r}; known: {', '.join(FORMATS)}")
    return name


def _head(path: str, size: int = 1 << 16) -> str:
    with open(path, "rb") as handle:
        data = handle.read(size)
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    return data.decode("utf-8", errors="replace").lstrip()


def _detect_xml(path: str, head: str) -> Optional[str]:
    if re.search(r"<collection[\s>/]", head):
        return "bioc_xml"
    if re.search(r"<document[\s>]", head) and re.search(r"<sentence[\s>/]|charOffset", head):
        return "ddi_xml"
    if re.search(r"<document[\s>]", head) and "<passage" not in head and "<id>" not in head:
        return "ddi_xml"  # a DDI document whose first sentence has not started yet
    return None


def detect_format(path: str) -> str:
    """The format of the file or directory at `path`, from its content (see the module table)."""
    path = os.fspath(path)
    if os.path.isdir(path):
        names = os.listdir(path)
        if any(name.endswith(".ann") for name in names):
            return "brat"
        xml_files = files_under(path, (".xml",))
        if xml_files and _detect_xml(xml_files[0], _head(xml_files[0])) == "ddi_xml":
            return "ddi_xml"
        raise DocumentFormatError(path, 0, f"cannot tell the format of this directory: {_EXPECTED}")
    if not os.path.isfile(path):
        raise DocumentFormatError(path, 0, "no such file or directory")
    if path.endswith(".ann") or (path.endswith(".txt") and os.path.exists(path[:-4] + ".ann")):
        return "brat"
    head = _head(path)
    if head.startswith("<"):
        found = _detect_xml(path, head)
        if found:
            return found
    elif head.startswith(("{", "[")):
        if '"documents"' in head or '"passages"' in head:
            return "bioc_json"
    else:
        first = head.split("\n", 1)[0]
        if _PUBTATOR_LINE.match(first):
            return "pubtator"
    raise DocumentFormatError(path, 0, f"cannot tell the format from the content: {_EXPECTED}")


def read_documents(path: str, format: Optional[str] = None, **options) -> Iterator[Document]:
    """
    The documents at `path` in `format` (detected from the content when None). `options` go to
    the format's reader (`discontinuous`, `stats`, and the format's own, e.g. `identifier_keys`
    for BioC); see `read_bioc_xml`, `read_bioc_json`, `read_pubtator`, `read_brat`,
    `read_ddi_xml`.
    """
    name = detect_format(path) if format is None else _format_name(format)
    return READERS[name](path, **options)


def write_documents(documents: Iterable[Document], path: str, format: str, **options) -> int:
    """Writes `documents` to `path` (a directory for BRAT) in `format`; returns the count."""
    name = _format_name(format)
    if name not in WRITERS:
        raise ValueError(f"{name} is read only; writable formats: {', '.join(WRITERS)}")
    return WRITERS[name](documents, path, **options)
