"""
BioC JSON (`{"documents": [{"id", "passages": [{"offset", "text", "annotations": [{"locations":
[{"offset", "length"}]}]}], "relations": [...]}]}`), read and written.

Reading does not use the `bioc` package's decoder (`bioc.biocjson.decoder.parse_collection`):
bioc 2.1 looks every key up directly (`obj['source']`, `obj['date']`, `obj['key']`,
`obj['infons']`, each passage's `sentences`/`annotations`/`relations`, each document's
`relations`), so a file that leaves any of them out (BioRED's official BioC JSON is reported to;
no copy of it is among the test corpora, so `fixtures/documents/sample.bioc.json` leaves them out
on purpose) fails with a bare `KeyError` that names neither the file nor the document (a test
pins that). Here an absent list or `infons` is empty, an absent passage `text` is empty (its
sentences give it), and the shapes in use are all read: a collection `{"documents": [...]}`, one
document `{"id", "passages"}`, a list of documents, JSON lines of documents or collections, and a
wrapper `{"<name>": [documents]}` (as PubTator3's export wraps them).
What a document cannot do without is named with the file and the document: `id`, `passages`,
integer `offset`s, `locations`. The decoded objects are `bioc` classes, converted to `Document` by
the code BioC XML uses (`bioc_common`), so the XML and the JSON of one collection read alike.

Writing builds `bioc` objects and serializes them with bioc's encoder (`BioCJSONEncoder`), one
document per line inside one collection object.
"""

import json
import os
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

from bioc import (
    BioCAnnotation,
    BioCDocument,
    BioCLocation,
    BioCNode,
    BioCPassage,
    BioCRelation,
    BioCSentence,
)
from bioc.biocjson.encoder import BioCJSONEncoder

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
    finish_document,
    read_text,
)


class _Decoder:
    """Tolerant BioC JSON object -> `bioc` object decoding; errors name file and document."""

    def __init__(self, path: str, line: int = 0) -> None:
        self.path = path
        self.line = line
        self.document_id: Optional[str] = None

    def error(self, message: str) -> DocumentFormatError:
        return DocumentFormatError(self.path, self.line, message, document_id=self.document_id)

    def object(self, value, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.error(f"{where}: expected a JSON object, found {type(value).__name__}")
        return value

    def list(self, obj: dict, key: str, where: str) -> list:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"{where}.{key}: expected a list, found {type(value).__name__}")
        return value

    def integer(self, obj: dict, key: str, where: str) -> int:
        if key not in obj:
            raise self.error(f"{where} has no {key!r}")
        value = obj[key]
        try:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        except (TypeError, ValueError):
            raise self.error(f"{where}.{key}: expected an integer, found {value!r}") from None

    def infons(self, obj: dict, where: str) -> dict:
        value = obj.get("infons")
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(f"{where}.infons: expected an object, found {type(value).__name__}")
        return {str(k): "" if v is None else str(v) for k, v in value.items()}

    def annotation(self, obj, where: str) -> BioCAnnotation:
        obj = self.object(obj, where)
        annotation = BioCAnnotation()
        annotation.id = None if obj.get("id") is None else str(obj["id"])
        annotation.infons = self.infons(obj, where)
        annotation.text = obj.get("text")
        if "locations" not in obj:
            raise self.error(f"{where} (annotation {annotation.id}) has no 'locations'")
        for index, location in enumerate(self.list(obj, "locations", where)):
            here = f"{where}.locations[{index}]"
            location = self.object(location, here)
            annotation.add_location(
                BioCLocation(
                    self.integer(location, "offset", here), self.integer(location, "length", here)
                )
            )
        return annotation

    def relation(self, obj, where: str) -> BioCRelation:
        obj = self.object(obj, where)
        relation = BioCRelation()
        relation.id = None if obj.get("id") is None else str(obj["id"])
        relation.infons = self.infons(obj, where)
        for index, node in enumerate(self.list(obj, "nodes", where)):
            node = self.object(node, f"{where}.nodes[{index}]")
            if node.get("refid") is None:
                raise self.error(f"{where}.nodes[{index}] has no 'refid'")
            relation.add_node(BioCNode(str(node["refid"]), str(node.get("role") or "")))
        return relation

    def _contents(self, target, obj: dict, where: str) -> None:
        for index, item in enumerate(self.list(obj, "annotations", where)):
            target.add_annotation(self.annotation(item, f"{where}.annotations[{index}]"))
        for index, item in enumerate(self.list(obj, "relations", where)):
            target.add_relation(self.relation(item, f"{where}.relations[{index}]"))

    def passage(self, obj, where: str) -> BioCPassage:
        obj = self.object(obj, where)
        passage = BioCPassage()
        passage.offset = self.integer(obj, "offset", where)
        passage.infons = self.infons(obj, where)
        passage.text = obj.get("text") or ""
        for index, item in enumerate(self.list(obj, "sentences", where)):
            here = f"{where}.sentences[{index}]"
            item = self.object(item, here)
            sentence = BioCSentence()
            sentence.offset = self.integer(item, "offset", here)
            sentence.infons = self.infons(item, here)
            sentence.text = item.get("text") or ""
            self._contents(sentence, item, here)
            passage.add_sentence(sentence)
        self._contents(passage, obj, where)
        return passage

    def document(self, obj, where: str) -> BioCDocument:
        obj = self.object(obj, where)
        self.document_id = None
        if obj.get("id") is None:
            raise self.error(f"{where}: a document without 'id'")
        document = BioCDocument()
        document.id = self.document_id = str(obj["id"])
        if "passages" not in obj:
            raise self.error(
                "has no 'passages' (a BioC JSON document needs a list of passages, each with "
                "'offset' and 'text')"
            )
        document.infons = self.infons(obj, where)
        for index, item in enumerate(self.list(obj, "passages", where)):
            document.add_passage(self.passage(item, f"passages[{index}]"))
        self._contents(document, obj, "document")
        return document


def _document_objects(value, decoder: _Decoder) -> List[Tuple[str, object]]:
    """(where, object) of every document in a parsed JSON value of any of the shapes read."""
    if isinstance(value, list):
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict) and "documents" in item:
                found.extend(
                    (f"[{index}].{where}", obj) for where, obj in _document_objects(item, decoder)
                )
            else:
                found.append((f"[{index}]", item))
        return found
    if not isinstance(value, dict):
        raise decoder.error(f"expected a BioC collection or document, found {type(value).__name__}")
    if "documents" in value:
        documents = value["documents"]
        if not isinstance(documents, list):
            raise decoder.error("'documents': expected a list")
        return [(f"documents[{index}]", item) for index, item in enumerate(documents)]
    if "passages" in value or "id" in value:
        return [("document", value)]
    wrapped = [v for v in value.values() if isinstance(v, list)]
    if len(wrapped) == 1 and all(isinstance(v, dict) and "passages" in v for v in wrapped[0]):
        return [(f"[{index}]", item) for index, item in enumerate(wrapped[0])]
    raise decoder.error(
        f"expected a BioC collection ('documents') or document ('id', 'passages'); found keys "
        f"{sorted(value)[:10]}"
    )


def _parse(path: str) -> Iterator[Tuple[int, str, object]]:
    """(line or 0, where, document object) for every document in the file."""
    text = read_text(path)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise DocumentFormatError(
                path, error.lineno, f"not valid JSON: {error.msg} (column {error.colno})"
            ) from None
        # JSON lines: one document (or collection) per line
        for line_number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                raise DocumentFormatError(
                    path, line_number, f"not valid JSON: {error.msg} (column {error.colno})"
                ) from None
            for where, obj in _document_objects(value, _Decoder(path, line_number)):
                yield line_number, where, obj
        return
    for where, obj in _document_objects(value, _Decoder(path)):
        yield 0, where, obj


def read_bioc_json(
    path: str,
    *,
    identifier_keys: Sequence[str] = DEFAULT_IDENTIFIER_KEYS,
    type_key: str = "type",
    identifier_separator: str = "|",
    concept_roles: Sequence[str] = DEFAULT_CONCEPT_ROLES,
    discontinuous: str = "pieces",
    stats: Optional[DocumentStatistics] = None,
) -> Iterator[Document]:
    """The documents of a BioC JSON file, in file order; parameters as `read_bioc_xml`."""
    check_policy(discontinuous)
    return _read(
        os.fspath(path),
        identifier_keys,
        type_key,
        identifier_separator,
        concept_roles,
        discontinuous,
        stats,
    )


def _read(
    path, identifier_keys, type_key, identifier_separator, concept_roles, discontinuous, stats
) -> Iterator[Document]:
    if stats is not None:
        stats.files += 1
    mismatches = TextMismatches(path, stats)
    for line, where, obj in _parse(path):
        source = _Decoder(path, line).document(obj, where)
        document = from_bioc(
            source,
            path,
            identifier_keys=identifier_keys,
            type_key=type_key,
            identifier_separator=identifier_separator,
            concept_roles=concept_roles,
            stats=stats,
        )
        yield finish_document(document, mismatches, discontinuous, stats)
    mismatches.warn()


def write_bioc_json(
    documents: Iterable[Document],
    path: str,
    *,
    identifier_key: str = DEFAULT_IDENTIFIER_KEY,
    source: str = "",
    date: str = "",
    key: str = "",
) -> int:
    """
    Writes `documents` as one BioC JSON collection (UTF-8, one document per line); mention
    identifiers go into the infon `identifier_key`. Returns the document count; the file appears
    whole or not at all.
    """
    path = os.fspath(path)
    encoder = BioCJSONEncoder()
    head = {"source": source, "date": date, "key": key, "infons": {}}
    count = 0
    with atomic_output_path(path) as temporary:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "documents": [')
            for document in documents:
                try:
                    document.validate()
                except ValueError as error:
                    raise DocumentFormatError(
                        path, 0, f"cannot be written as BioC JSON: {error}", document.id
                    ) from None
                encoded = encoder.default(to_bioc(document, identifier_key))
                handle.write(
                    ("\n" if count == 0 else ",\n") + json.dumps(encoded, ensure_ascii=False)
                )
                count += 1
            handle.write("\n]}\n")
    return count
