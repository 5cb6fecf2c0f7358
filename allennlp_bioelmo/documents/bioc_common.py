"""
BioC's data model (the `bioc` package's classes) to and from `Document`, shared by the BioC XML
and BioC JSON modules.

Reading: passages keep their offsets and texts (a passage without text but with sentences gets
its sentences' texts at their offsets); annotations are collected from passages, sentences and
the document, in that order; a relation's nodes become mention arguments (or relation arguments,
when a node names another relation); a relation without nodes (BC5CDR's CID relations, BioRED's)
takes its arguments from infons named in `concept_roles`, as concept identifiers.

Writing: each mention goes into the passage holding its first character (the document, when it
falls between passages); relations go to the document: mention arguments as nodes, concept
arguments as infons named by their role, the type as infon "type". BioC has no text between
passages: a gap reads back as spaces whatever whitespace filled it (DDI's `sentence_separator`).
"""

from typing import Dict, List, Optional, Sequence

from bioc import (
    BioCAnnotation,
    BioCDocument,
    BioCLocation,
    BioCNode,
    BioCPassage,
    BioCRelation,
)

from allennlp_bioelmo.documents.document import (
    CONCEPT,
    MENTION,
    RELATION,
    Argument,
    Document,
    DocumentStatistics,
    Mention,
    Passage,
    Relation,
    base_role,
    unique_role,
)
from allennlp_bioelmo.documents.io_utils import DocumentFormatError

# Annotation infons that may hold the identifier, tried in order (PubTator/BioRED "identifier",
# BC5CDR "MESH", bconv's "cui", GNormPlus "NCBI Gene", ...).
DEFAULT_IDENTIFIER_KEYS = (
    "identifier",
    "Identifier",
    "MESH",
    "MeSH",
    "mesh",
    "cui",
    "CUI",
    "NCBI Gene",
    "NCBI Taxonomy",
    "Identifiers",
)
# Relation infons holding a concept argument when the relation has no nodes: BC5CDR's
# `Chemical`/`Disease`, BioRED's `entity1`/`entity2`, what `write` produces for PubTator's
# unnamed arguments (`Arg1`, `Arg2`).
DEFAULT_CONCEPT_ROLES = ("Chemical", "Disease", "Gene", "entity1", "entity2", "Arg1", "Arg2")
# Relation infons holding the relation type, tried in order (BC5CDR: "relation").
RELATION_TYPE_KEYS = ("type", "relation")
# What `write` names the identifier infon.
DEFAULT_IDENTIFIER_KEY = "identifier"


def _infons(infons: Optional[dict]) -> Dict[str, str]:
    return {str(key): "" if value is None else str(value) for key, value in (infons or {}).items()}


def from_bioc(
    source: BioCDocument,
    path: str,
    *,
    identifier_keys: Sequence[str] = DEFAULT_IDENTIFIER_KEYS,
    type_key: str = "type",
    identifier_separator: str = "|",
    concept_roles: Sequence[str] = DEFAULT_CONCEPT_ROLES,
    stats: Optional[DocumentStatistics] = None,
) -> Document:
    """The `Document` of a `bioc.BioCDocument` read from `path` (named in errors)."""
    document_id = source.id
    if document_id is None or str(document_id).strip() == "":
        raise DocumentFormatError(path, 0, "a document without an id")
    document_id = str(document_id)

    def error(message: str) -> DocumentFormatError:
        return DocumentFormatError(path, 0, message, document_id=document_id)

    passages = []
    for index, passage in enumerate(source.passages):
        text = passage.text or ""
        if not text and passage.sentences:
            sentences = []
            for sentence in passage.sentences:
                if sentence.offset is None:
                    raise error(f"passage {index}: a sentence without an offset")
                sentences.append(
                    Passage(int(sentence.offset) - passage.offset, sentence.text or "")
                )
            try:
                text = Document.text_from_passages(sentences)
            except ValueError as problem:
                raise error(f"passage {index}: sentences: {problem}") from None
        infons = _infons(passage.infons)
        passages.append(Passage(int(passage.offset), text, infons.pop("type", None), infons))
    try:
        text = Document.text_from_passages(passages)
    except ValueError as problem:
        raise error(str(problem)) from None

    annotations: List[BioCAnnotation] = []
    relations: List[BioCRelation] = []
    for passage in source.passages:
        annotations.extend(passage.annotations)
        relations.extend(passage.relations)
        for sentence in passage.sentences:
            annotations.extend(sentence.annotations)
            relations.extend(sentence.relations)
    annotations.extend(source.annotations)
    relations.extend(source.relations)

    mentions = []
    ids = {str(a.id) for a in annotations if a.id not in (None, "")}
    generated = 0
    seen = set()
    for annotation in annotations:
        mention_id = annotation.id
        if mention_id in (None, ""):
            while f"A{generated}" in ids:
                generated += 1
            mention_id = f"A{generated}"
            ids.add(mention_id)
        mention_id = str(mention_id)
        if mention_id in seen:
            raise error(f"two annotations have the id {mention_id!r}")
        seen.add(mention_id)
        infons = _infons(annotation.infons)
        if type_key not in infons:
            raise error(
                f"annotation {mention_id} has no infon {type_key!r} (its type); infons: "
                f"{sorted(infons)}"
            )
        mention_type = infons.pop(type_key)
        identifiers: List[str] = []
        for key in identifier_keys:
            if key in infons:
                value = infons.pop(key)
                identifiers = value.split(identifier_separator) if value else []
                break
        spans = []
        for location in annotation.locations:
            start, length = int(location.offset), int(location.length)
            if length == 0:
                if stats is not None:
                    stats.drop("empty annotation location (length 0)")
                continue
            if start < 0 or length < 0 or start + length > len(text):
                raise error(
                    f"annotation {mention_id}: location offset {start} length {length} lies "
                    f"beyond the document text ({len(text)} characters)"
                )
            spans.append((start, start + length))
        if not spans:
            if stats is not None:
                stats.drop("annotation without a (non-empty) location")
            continue
        mention_text = annotation.text
        if not mention_text:  # no <text> (bioc leaves ""): the document's text at the spans
            mention_text = " ".join(text[start:end] for start, end in spans)
        mentions.append(Mention(mention_id, spans, mention_type, identifiers, mention_text, infons))

    relation_ids = {str(r.id) for r in relations if r.id not in (None, "")}
    mention_ids = {mention.id for mention in mentions}
    dropped_ids = seen - mention_ids
    converted = []
    generated = 0
    for relation in relations:
        relation_id = relation.id
        if relation_id in (None, ""):
            while f"R{generated}" in relation_ids:
                generated += 1
            relation_id = f"R{generated}"
            relation_ids.add(relation_id)
        relation_id = str(relation_id)
        infons = _infons(relation.infons)
        relation_type = ""
        for key in RELATION_TYPE_KEYS:
            if key in infons:
                relation_type = infons.pop(key)
                break
        arguments: Dict[str, Argument] = {}
        lost = False
        for node in relation.nodes:
            refid = str(node.refid)
            if refid in mention_ids:
                kind = MENTION
            elif refid in relation_ids:
                kind = RELATION
            elif refid in dropped_ids:
                lost = True
                continue
            else:
                raise error(
                    f"relation {relation_id} names a missing annotation or relation {refid!r} "
                    f"(role {node.role!r})"
                )
            arguments[unique_role(str(node.role or ""), arguments)] = Argument(refid, kind)
        if not relation.nodes:
            for role in concept_roles:
                if role in infons:
                    arguments[role] = Argument.concept(infons.pop(role))
        if lost:
            if stats is not None:
                stats.drop("relation naming a dropped annotation")
            continue
        if not arguments:
            if stats is not None:
                stats.drop("relation without nodes or concept-role infons")
            continue
        converted.append(Relation(relation_id, relation_type, arguments, infons))

    return Document(document_id, text, passages, mentions, converted, _infons(source.infons))


def to_bioc(document: Document, identifier_key: str = DEFAULT_IDENTIFIER_KEY) -> BioCDocument:
    """The `bioc.BioCDocument` of `document` (see the module docstring for where things go)."""
    target = BioCDocument()
    target.id = document.id
    target.infons = dict(document.infons)
    passages = document.passages or [Passage(0, document.text)]
    by_offset = {}
    for passage in passages:
        written = BioCPassage()
        written.offset = passage.offset
        written.text = passage.text
        written.infons = {**({"type": passage.type} if passage.type is not None else {})}
        written.infons.update(passage.infons)
        target.add_passage(written)
        by_offset[passage.offset] = written
    holder = Document(document.id, document.text, list(passages))
    for mention in document.mentions:
        annotation = BioCAnnotation()
        annotation.id = mention.id
        annotation.infons = {"type": mention.type}
        if mention.identifiers:
            annotation.infons[identifier_key] = "|".join(mention.identifiers)
        annotation.infons.update(mention.infons)
        for start, end in mention.spans:
            annotation.add_location(BioCLocation(start, end - start))
        annotation.text = mention.text
        passage = holder.passage_at(mention.start)
        if passage is None:
            target.add_annotation(annotation)
        else:
            by_offset[passage.offset].add_annotation(annotation)
    for relation in document.relations:
        written = BioCRelation()
        written.id = relation.id
        written.infons = {"type": relation.type}
        for role, argument in relation.arguments.items():
            if argument.kind == CONCEPT:
                written.infons[base_role(role)] = argument.value
            else:
                written.add_node(BioCNode(argument.value, base_role(role)))
        written.infons.update(relation.infons)
        target.add_relation(written)
    return target
