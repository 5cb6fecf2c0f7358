"""
PubTator, read and written:

```
227508|t|Naloxone reverses the antihypertensive effect of clonidine.
227508|a|In unanesthetized, spontaneously hypertensive rats ...
227508<TAB>0<TAB>8<TAB>Naloxone<TAB>Chemical<TAB>D009270
2234245<TAB>0<TAB>28<TAB>Ocular and auditory toxicity<TAB>Disease<TAB>D014786|D006311<TAB>Ocular
toxicity|auditory toxicity
227508<TAB>CID<TAB>D008750<TAB>D007022
```

The rules of `bio_pubtator`'s reader: documents are separated by blank lines (or start at a new
`pmid|t|` line); the title is one passage ("title", offset 0), the abstract another ("abstract",
offset len(title) + 1): the document text is the title, a space, the abstract, which is how the
offsets count. A document without `|a|` line has the title alone. Mention lines are
`pmid start end text type [ids [more columns]]`: ids split at "|" (BC5CDR's composite mentions);
columns after the ids (BC5CDR's individual-mention texts) are kept in the mention's infon
`pubtator_extra_columns` (tab-joined) and written back. A line whose second column is not a number
is a relation line `pmid type id id [extra column]` (unless it is longer and its third column
is a number: a mention line with a bad start, an error): a concept-level relation whose arguments
are the identifiers, its roles named by `relation_roles` (CID: Chemical, Disease; otherwise Arg1,
Arg2), extra columns (BioRED's novelty) in the infon `pubtator_extra_columns`. Mentions get ids
"0", "1", ... and relations "R0", "R1", ... in file order (BC5CDR's BioC release numbers its CID
relations the same way).

Errors name the file and line: an annotation before any title, for another pmid, with unparseable
or inverted offsets, beyond the document text, with an empty type; a second title line for the same
pmid without a blank line between. A mention whose text differs from the document at
its offsets is kept, counted and warned about (once per file), never shifted.

PubTator holds neither multi-span mentions nor mention-level relations nor text with line breaks:
the writer raises `DocumentFormatError` for them, or with `unwritable="drop"` leaves them out and
counts them in `stats.dropped`.
"""

import os
import re
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from allennlp_bioelmo.common.file_utils import atomic_output_path
from allennlp_bioelmo.documents.document import (
    CONCEPT,
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
    check_unwritable,
    finish_document,
    iter_lines,
)

EXTRA_COLUMNS = "pubtator_extra_columns"
DEFAULT_RELATION_ROLES: Dict[str, Tuple[str, ...]] = {"CID": ("Chemical", "Disease")}
GENERIC_ROLES = ("Arg1", "Arg2")

_TEXT_LINE = re.compile(r"^([^\t|]+)\|([ta])\|(.*)$")


class _Builder:
    def __init__(self, pmid: str, title: str) -> None:
        self.pmid = pmid
        self.title = title
        self.abstract: Optional[str] = None
        self.mentions: List[Tuple[int, Mention]] = []
        self.relations: List[Relation] = []

    def build(self, path: str) -> Document:
        passages = [Passage(0, self.title, "title")]
        if self.abstract is not None:
            passages.append(Passage(len(self.title) + 1, self.abstract, "abstract"))
        document = Document.from_passages(self.pmid, passages, relations=self.relations)
        for line_number, mention in self.mentions:
            if mention.end > len(document.text):
                raise DocumentFormatError(
                    path,
                    line_number,
                    f"mention offsets {mention.start}-{mention.end} lie beyond document "
                    f"{self.pmid}'s text ({len(document.text)} characters)",
                )
            document.mentions.append(mention)
        return document


def read_pubtator(
    path: str,
    *,
    relation_roles: Optional[Dict[str, Sequence[str]]] = None,
    identifier_separator: str = "|",
    discontinuous: str = "pieces",
    stats: Optional[DocumentStatistics] = None,
) -> Iterator[Document]:
    """
    The documents of a PubTator file, in file order. `relation_roles`: role names of relation
    lines' arguments by relation type (default CID: Chemical, Disease; other types Arg1, Arg2);
    `discontinuous` is accepted for uniformity (PubTator mentions have one span); `stats`: a
    `DocumentStatistics` to count into.
    """
    check_policy(discontinuous)
    roles = dict(DEFAULT_RELATION_ROLES if relation_roles is None else relation_roles)
    return _read(os.fspath(path), roles, identifier_separator, discontinuous, stats)


def _read(path, roles, identifier_separator, discontinuous, stats) -> Iterator[Document]:
    if stats is not None:
        stats.files += 1
    mismatches = TextMismatches(path, stats)
    current: Optional[_Builder] = None
    any_line = False

    def finish(builder: _Builder) -> Document:
        return finish_document(builder.build(path), mismatches, discontinuous, stats)

    for line_number, line in iter_lines(path):
        any_line = True
        if not line.strip():
            if current is not None:
                yield finish(current)
            current = None
            continue
        match = _TEXT_LINE.match(line)
        if match:
            pmid, kind, body = match.groups()
            if kind == "t":
                if current is not None and current.pmid == pmid:
                    raise DocumentFormatError(
                        path,
                        line_number,
                        f"a second title line for document {pmid} (documents are separated by "
                        "a blank line)",
                    )
                if current is not None:
                    yield finish(current)
                current = _Builder(pmid, body)
                continue
            if current is None or current.pmid != pmid:
                raise DocumentFormatError(path, line_number, f"abstract of {pmid} before its title")
            if current.abstract is not None:
                raise DocumentFormatError(path, line_number, f"a second abstract for {pmid}")
            current.abstract = body
            continue
        columns = line.split("\t")
        if current is None:
            raise DocumentFormatError(
                path,
                line_number,
                "annotation line before any 'pmid|t|title' line (expected 'pmid|t|title', "
                "'pmid|a|abstract', then tab-separated annotation lines)",
            )
        if columns[0] != current.pmid:
            raise DocumentFormatError(
                path, line_number, f"annotation for {columns[0]} inside document {current.pmid}"
            )
        if len(columns) >= 4 and _is_relation_line(columns, roles):
            relation_type = columns[1]
            names = tuple(roles.get(relation_type, GENERIC_ROLES))
            arguments = {
                role: Argument.concept(value)
                for role, value in zip(names, columns[2 : 2 + len(names)])
            }
            infons = {}
            if len(columns) > 2 + len(names):
                infons[EXTRA_COLUMNS] = "\t".join(columns[2 + len(names) :])
            relation_id = f"R{len(current.relations)}"
            current.relations.append(Relation(relation_id, relation_type, arguments, infons))
            continue
        if len(columns) < 5:
            raise DocumentFormatError(
                path,
                line_number,
                "expected a mention line 'pmid<TAB>start<TAB>end<TAB>text<TAB>type[<TAB>ids]' or "
                f"a relation line 'pmid<TAB>type<TAB>id<TAB>id', found {len(columns)} columns",
            )
        try:
            start, end = int(columns[1]), int(columns[2])
        except ValueError:
            raise DocumentFormatError(
                path,
                line_number,
                f"unparseable offsets {columns[1]!r}, {columns[2]!r} (expected integers)",
            ) from None
        if not 0 <= start < end:
            raise DocumentFormatError(
                path, line_number, f"invalid offsets {start}-{end} (expected 0 <= start < end)"
            )
        if not columns[4].strip():
            raise DocumentFormatError(
                path,
                line_number,
                f"the entity type (column 5) of mention {columns[3]!r} of document {current.pmid} "
                "is empty: expected a type such as Chemical or Disease",
            )
        identifiers = columns[5].split(identifier_separator) if len(columns) > 5 else []
        if identifiers == [""]:
            identifiers = []
        infons = {EXTRA_COLUMNS: "\t".join(columns[6:])} if len(columns) > 6 else {}
        mention = Mention(
            str(len(current.mentions)), [(start, end)], columns[4], identifiers, columns[3], infons
        )
        current.mentions.append((line_number, mention))
    if current is not None:
        yield finish(current)
    if not any_line:
        raise DocumentFormatError(path, 0, "the file is empty")
    mismatches.warn()


def _is_number(column: str) -> bool:
    return column.strip().lstrip("-").isdigit()


def _is_relation_line(columns: List[str], roles: Dict[str, Sequence[str]]) -> bool:
    """
    Whether an annotation line is a relation line: its second column is not a number, and it has
    no more columns than the relation's identifiers plus one extra (BioRED's novelty) or its third
    column is not a number either; a longer line with a number there is a mention line whose start
    does not parse (`1  zero  5  text  type  id`), an error rather than a relation "zero".
    """
    if _is_number(columns[1]):
        return False
    arguments = len(roles.get(columns[1], GENERIC_ROLES))
    return len(columns) <= 3 + arguments or not _is_number(columns[2])


def _split(document: Document, path: str) -> Tuple[str, Optional[str]]:
    """(title, abstract) such that title + " " + abstract is the document text."""
    text = document.text
    if len(document.passages) <= 1:
        return text, None
    boundary = document.passages[1].offset
    if boundary >= 1 and (boundary - 1) >= document.passages[0].end:
        return text[: boundary - 1], text[boundary:]
    if boundary >= 1 and text[boundary - 1] in " \n\r\t":
        # no gap between title and abstract (bconv's titles end in "\n"): that character
        # separates them
        return text[: boundary - 1], text[boundary:]
    raise DocumentFormatError(
        path,
        0,
        "cannot be written as PubTator: its second passage does not start one character after "
        "the first (PubTator's abstract offset is len(title) + 1)",
        document.id,
    )


def write_pubtator(
    documents: Iterable[Document],
    path: str,
    *,
    unwritable: str = "error",
    replace_newlines: bool = False,
    stats: Optional[DocumentStatistics] = None,
) -> int:
    """
    Writes `documents` as PubTator: title line (the first passage), abstract line (the rest of
    the text, from the second passage on), mention lines, relation lines. Mention-level relations
    and multi-span mentions cannot be written: `unwritable="error"` (default) raises,
    `"drop"` leaves them out, counted in `stats.dropped`. Line breaks in the text (which PubTator
    cannot hold) raise unless `replace_newlines` (each becomes a space; offsets hold).
    Returns the document count; the file appears whole or not at all.
    """
    check_unwritable(unwritable)
    path = os.fspath(path)
    count = 0

    def cannot(document: Document, what: str, reason: str) -> None:
        if unwritable == "error":
            raise DocumentFormatError(
                path,
                0,
                f"cannot be written as PubTator: {what}; {reason} (unwritable='drop' leaves such "
                "annotations out, counted; or read with discontinuous='covering'/'first_span')",
                document.id,
            )
        if stats is not None:
            stats.drop(f"not writable as PubTator: {reason}")

    with atomic_output_path(path) as temporary:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            for document in documents:
                try:
                    document.validate()
                except ValueError as error:
                    raise DocumentFormatError(
                        path, 0, f"cannot be written as PubTator: {error}", document.id
                    ) from None
                if "\n" in document.id or "|" in document.id or "\t" in document.id:
                    raise DocumentFormatError(
                        path, 0, "cannot be written as PubTator: '|', tab or line break in its id"
                    )
                title, abstract = _split(document, path)
                lines = []
                for part in (title, abstract):
                    if part is not None and ("\n" in part or "\r" in part):
                        if not replace_newlines:
                            raise DocumentFormatError(
                                path,
                                0,
                                "cannot be written as PubTator: a line break in its text "
                                "(replace_newlines=True writes spaces instead)",
                                document.id,
                            )
                lines.append(f"{document.id}|t|{_flat(title)}")
                if abstract is not None:
                    lines.append(f"{document.id}|a|{_flat(abstract)}")
                for mention in document.mentions:
                    if mention.is_discontinuous:
                        cannot(document, f"mention {mention.id}", "a mention with several spans")
                        continue
                    start, end = mention.spans[0]
                    columns = [document.id, str(start), str(end), _flat(mention.text)]
                    columns.append(mention.type)
                    extra = mention.infons.get(EXTRA_COLUMNS)
                    if mention.identifiers or extra is not None:
                        columns.append("|".join(mention.identifiers))
                    if extra is not None:
                        columns.append(extra)
                    lines.append("\t".join(columns))
                for relation in document.relations:
                    if any(a.kind != CONCEPT for a in relation.arguments.values()):
                        cannot(
                            document,
                            f"relation {relation.id}",
                            "a relation between mentions (PubTator relation lines hold "
                            "concept identifiers)",
                        )
                        continue
                    columns = [document.id, relation.type]
                    columns.extend(a.value for a in relation.arguments.values())
                    if EXTRA_COLUMNS in relation.infons:
                        columns.append(relation.infons[EXTRA_COLUMNS])
                    lines.append("\t".join(columns))
                handle.write("\n".join(lines) + "\n\n")
                count += 1
    return count


def _flat(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
