"""
The DDI corpus's XML (SemEval-2013 Task 9, DDI-2013), read (a file, or a directory tree of them):

```
<document id="DDI-MedLine.d115">
  <sentence id="DDI-MedLine.d115.s0" text="Concomitant cyclophosphamide, doxorubicin, ...">
    <entity id="DDI-MedLine.d115.s0.e0" charOffset="12-27" type="drug" text="cyclophosphamide"/>
    <entity id="DDI-MedLine.d66.s0.e1" charOffset="42-60;75-85" type="group" text="..."/>
    <pair id="DDI-MedLine.d115.s0.p0" e1="DDI-MedLine.d115.s0.e0" e2="DDI-MedLine.d115.s0.e1"
          ddi="true" type="mechanism"/>
```

The document text is its sentences joined by `sentence_separator` (a space, or other
whitespace), each sentence a passage (type "sentence", infon `id`) at its offset. An entity's
`charOffset` is inclusive and sentence-relative, `;` between the pieces of a discontinuous
entity: it becomes a mention with document-level, end-exclusive spans (several for such an
entity, under the `discontinuous` policy of every reader), type drug/brand/group/drug_n, no
identifiers. A pair becomes a mention-level relation (roles "e1", "e2"; infon `ddi`
"true"/"false"): a positive pair's type is its `type` (mechanism, effect, advise, int;
`DDI_UNTYPED` where a positive pair has none), a negative pair's `DDI_NEGATIVE`. Sentences
without entities or pairs are ordinary passages.

Errors name the file and line: malformed XML, a root that is not `<document>`, a `charOffset`
that does not parse or lies beyond its sentence, a pair naming a missing entity, a `ddi` that is
neither true nor false. DDI is read only (nothing converts back to it).
"""

import os
import re
from typing import Iterator, Optional

from lxml import etree

from allennlp_bioelmo.documents.document import (
    Argument,
    Document,
    DocumentStatistics,
    Mention,
    Passage,
    Relation,
)
from allennlp_bioelmo.documents.io_utils import (
    DocumentFormatError,
    TextMismatches,
    check_policy,
    files_under,
    finish_document,
    read_text,
)

# The relation type of a pair with ddi="false" (no interaction).
DDI_NEGATIVE = "none"
# The relation type of a pair with ddi="true" and no `type` (DDI-2011 style).
DDI_UNTYPED = "ddi"

_CHAR_OFFSET = re.compile(r"^\s*\d+\s*-\s*\d+\s*(;\s*\d+\s*-\s*\d+\s*)*$")


def _read_file(path: str, sentence_separator: str, stats: Optional[DocumentStatistics]) -> Document:
    data = read_text(path).encode("utf-8")  # the UTF-8 check names the byte; lxml parses bytes
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno or 0, 0)
        raise DocumentFormatError(
            path, line, f"malformed XML: {error.msg} (column {column})"
        ) from None
    if root.tag != "document":
        raise DocumentFormatError(
            path,
            root.sourceline or 0,
            f"expected a DDI <document> root element, found <{root.tag}>",
        )
    document_id = root.get("id")
    if not document_id:
        raise DocumentFormatError(path, root.sourceline or 0, "<document> without an id")

    def error(element, message: str) -> DocumentFormatError:
        return DocumentFormatError(path, element.sourceline or 0, message)

    passages, mentions, relations = [], [], []
    by_id = {}
    offset = 0
    for sentence in root.iter("sentence"):
        text = sentence.get("text")
        sentence_id = sentence.get("id")
        if text is None:
            raise error(sentence, f"sentence {sentence_id} without a text attribute")
        if passages:
            offset += len(sentence_separator)
        passages.append(Passage(offset, text, "sentence", {"id": sentence_id or ""}))
        for entity in sentence.iter("entity"):
            entity_id, char_offset = entity.get("id"), entity.get("charOffset")
            if not entity_id:
                raise error(entity, "entity without an id")
            if char_offset is None or not _CHAR_OFFSET.match(char_offset):
                raise error(
                    entity,
                    f"entity {entity_id}: charOffset {char_offset!r} does not parse; expected "
                    "'start-end' (inclusive, sentence-relative), ';' between pieces",
                )
            spans = []
            for piece in char_offset.split(";"):
                start, end = (int(x) for x in piece.split("-"))
                if not start <= end < len(text):
                    raise error(
                        entity,
                        f"entity {entity_id}: charOffset {char_offset!r} lies beyond its sentence "
                        f"({len(text)} characters) or ends before it starts",
                    )
                spans.append((offset + start, offset + end + 1))
            if entity_id in by_id:
                raise error(entity, f"a second entity {entity_id}")
            entity_text = entity.get("text")
            if entity_text is None:
                entity_text = " ".join(text[s - offset : e - offset] for s, e in spans)
            mention = Mention(entity_id, spans, entity.get("type") or "", [], entity_text)
            by_id[entity_id] = mention
            mentions.append(mention)
        for pair in sentence.iter("pair"):
            pair_id = pair.get("id") or f"R{len(relations)}"
            arguments = {}
            for role in ("e1", "e2"):
                target = pair.get(role)
                if target not in by_id:
                    raise error(pair, f"pair {pair_id}: {role} names a missing entity {target!r}")
                arguments[role] = Argument.mention(target)
            ddi = (pair.get("ddi") or "").strip().lower()
            if ddi not in ("true", "false"):
                raise error(
                    pair, f"pair {pair_id}: ddi={pair.get('ddi')!r}, expected 'true' or 'false'"
                )
            if ddi == "true":
                relation_type = pair.get("type") or DDI_UNTYPED
            else:
                relation_type = DDI_NEGATIVE
            relations.append(Relation(pair_id, relation_type, arguments, {"ddi": ddi}))
        offset += len(text)
    text = sentence_separator.join(passage.text for passage in passages)
    return Document(document_id, text, passages, mentions, relations)


def read_ddi_xml(
    path: str,
    *,
    sentence_separator: str = " ",
    discontinuous: str = "pieces",
    stats: Optional[DocumentStatistics] = None,
) -> Iterator[Document]:
    """
    The documents of a DDI XML file, or of every `.xml` file under a directory (sorted paths).
    `sentence_separator` joins the sentences into the document text; `discontinuous`: the
    multi-span mention policy; `stats`: a `DocumentStatistics` to count into.
    """
    check_policy(discontinuous)
    if sentence_separator.strip():
        raise ValueError(
            f"sentence_separator must be whitespace (it fills the gaps between passages), "
            f"not {sentence_separator!r}"
        )
    return _read(os.fspath(path), sentence_separator, discontinuous, stats)


def _read(path, sentence_separator, discontinuous, stats) -> Iterator[Document]:
    files = files_under(path, (".xml",))
    if not files:
        raise DocumentFormatError(path, 0, "no .xml files under the directory")
    for file in files:
        if stats is not None:
            stats.files += 1
        mismatches = TextMismatches(file, stats)
        document = _read_file(file, sentence_separator, stats)
        yield finish_document(document, mismatches, discontinuous, stats)
        mismatches.warn()
