"""
BRAT standoff, read and written: `name.txt` (the text) beside `name.ann` (the annotations):

```
T1<TAB>Disease 16 29<TAB>breast cancer
T2<TAB>Disease 0 7;19 26<TAB>Ovarian tumours
R1<TAB>Causes Arg1:T3 Arg2:T1
N1<TAB>Reference T1 MESH:D001943<TAB>Breast Neoplasms
#1<TAB>AnnotatorNotes T1<TAB>check
```

Based on `bio_brat`'s reader: offsets are character offsets into the `.txt` as it is (line ends
kept, CRLF counting two characters; a UTF-8 BOM is dropped), a discontinuous `T` (`0 7;19 26`) is
one mention with several spans (`Mention.spans`, the text column their pieces joined by a space),
under the one policy of every reader (`discontinuous`). `R` lines are mention-level relations
(roles as written, e.g. Arg1/Arg2); `N` lines add identifiers to their mention (`db:id`, kept
verbatim; the name, if any, in the infon `normalization <db:id>`); `#` notes become infons of their
annotation (`AnnotatorNotes` -> "AnnotatorNotes"). `E` (events), `A`/`M` (attributes) and `*`
(equivalences) lines are not read: counted in `stats.dropped`, as is a relation or note on an
event. A document is one passage (BRAT has none). Errors name the `.ann` file and line: a line
that does not parse, offsets beyond the text, a relation/note/normalization naming an id that
no line defines.

The writer writes one `.txt`/`.ann` pair per document (its id, "/" replaced, as the name), each
mention infon as a `#` note (so BioC infons survive a round trip). Mention ids `T<n>` and relation
ids `R<n>` are kept, others renumbered. Concept-level relations (and relations on relations)
cannot be written: `unwritable="error"` raises, `"drop"` leaves them out, counted.
"""

import os
import re
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from allennlp_bioelmo.common.file_utils import atomic_output_path
from allennlp_bioelmo.documents.document import (
    MENTION,
    Argument,
    Document,
    DocumentStatistics,
    Mention,
    Passage,
    Relation,
    base_role,
    unique_role,
)
from allennlp_bioelmo.documents.io_utils import (
    DocumentFormatError,
    TextMismatches,
    check_policy,
    check_unwritable,
    finish_document,
    iter_lines,
    read_text,
)

NORMALIZATION_NAME = "normalization "
SKIPPED_KINDS = {
    "E": "brat event (E) line, not read",
    "A": "brat attribute (A) line, not read",
    "M": "brat attribute (M) line, not read",
    "*": "brat equivalence (*) line, not read",
}


def _pairs(path: str) -> List[Tuple[str, str]]:
    """(text file, annotation file) pairs: one for a file path, all of a directory's sorted."""
    if os.path.isdir(path):
        texts = sorted(name for name in os.listdir(path) if name.endswith(".txt"))
        if not texts:
            raise DocumentFormatError(path, 0, "no .txt files in the directory")
        pairs = [
            (os.path.join(path, name), os.path.join(path, name[:-4] + ".ann")) for name in texts
        ]
    elif path.endswith((".txt", ".ann")):
        pairs = [(path[:-4] + ".txt", path[:-4] + ".ann")]
    else:
        raise DocumentFormatError(
            path, 0, "expected a BRAT directory, or a .txt or .ann file with its sibling"
        )
    for text_file, annotation_file in pairs:
        for needed, beside in ((text_file, annotation_file), (annotation_file, text_file)):
            if not os.path.exists(needed):
                raise DocumentFormatError(
                    beside, 0, f"no {os.path.basename(needed)} beside it (BRAT pairs .txt and .ann)"
                )
    return pairs


_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")


def _read_pair(
    text_file: str, annotation_file: str, stats: Optional[DocumentStatistics]
) -> Document:
    text = read_text(text_file)
    document_id = os.path.basename(text_file)[:-4]
    mentions: Dict[str, Mention] = {}
    relations: List[Tuple[int, str, str, List[Tuple[str, str]]]] = []
    references: List[Tuple[int, str, str, str]] = []  # line, target, identifier, name
    notes: List[Tuple[int, str, str, str]] = []  # line, kind, target, note
    defined = set()

    def error(line_number: int, message: str) -> DocumentFormatError:
        return DocumentFormatError(annotation_file, line_number, message)

    for line_number, line in iter_lines(annotation_file):
        if not line.strip():
            continue
        annotation_id, tab, rest = line.partition("\t")
        if not tab or not annotation_id:
            raise error(
                line_number, "expected '<id><TAB><annotation>' (e.g. 'T1<TAB>Gene 0 5<TAB>BRCA1')"
            )
        kind = annotation_id[0]
        defined.add(annotation_id)
        if kind == "T":
            head, tab, mention_text = rest.partition("\t")
            entity_type, _, offsets = head.partition(" ")
            expected = "expected 'T<id><TAB><type> <start> <end>[;<start> <end>]<TAB><text>'"
            if tab and not entity_type and offsets.strip():
                raise error(
                    line_number,
                    f"the entity type of {annotation_id} is empty: {expected}, found {line!r}",
                )
            if tab and entity_type and offsets.strip() and not _OFFSETS.match(offsets.strip()):
                raise error(
                    line_number,
                    f"unparseable offsets {offsets.strip()!r}: {expected}, found {line!r}",
                )
            if not tab or not entity_type or not _OFFSETS.match(offsets.strip()):
                raise error(line_number, f"{expected}, found {line!r}")
            spans = [tuple(int(x) for x in part.split()) for part in offsets.strip().split(";")]
            for start, end in spans:
                if not start < end:
                    raise error(
                        line_number, f"invalid offsets {start} {end} (start < end expected)"
                    )
                if end > len(text):
                    raise error(
                        line_number,
                        f"offsets {start}-{end} lie beyond the text of "
                        f"{os.path.basename(text_file)} ({len(text)} characters)",
                    )
            if annotation_id in mentions:
                raise error(line_number, f"a second {annotation_id}")
            mentions[annotation_id] = Mention(annotation_id, spans, entity_type, [], mention_text)
        elif kind == "R":
            parts = rest.split("\t")[0].split()
            arguments = [part.partition(":") for part in parts[1:]]
            if not parts or not arguments or any(not r or not c or not t for r, c, t in arguments):
                raise error(
                    line_number,
                    f"expected 'R<id><TAB><type> Arg1:<id> Arg2:<id>', found {line!r}",
                )
            relations.append(
                (line_number, annotation_id, parts[0], [(r, t) for r, _, t in arguments])
            )
        elif kind == "N":
            head, _, name = rest.partition("\t")
            parts = head.split()
            if len(parts) != 3:
                raise error(
                    line_number,
                    f"expected 'N<id><TAB>Reference <id> <db>:<db id><TAB><name>', found {line!r}",
                )
            references.append((line_number, parts[1], parts[2], name))
        elif kind == "#":
            head, _, note = rest.partition("\t")
            parts = head.split()
            if len(parts) != 2:
                raise error(
                    line_number, f"expected '#<id><TAB><note type> <id><TAB><note>', found {line!r}"
                )
            notes.append((line_number, parts[0], parts[1], note))
        elif kind in SKIPPED_KINDS:
            if stats is not None:
                stats.drop(SKIPPED_KINDS[kind])
        else:
            raise error(
                line_number,
                "expected 'T<id><TAB><type> <start> <end>[;<start> <end>]<TAB><text>' or another "
                "annotation (an id starting with R, E, A, M, N, * or #), found "
                f"{line!r}: unknown annotation id {annotation_id!r}",
            )

    def target_of(line_number: int, what: str, target: str) -> Optional[str]:
        if target in mentions:
            return target
        if target in defined:
            if stats is not None:
                kind = what.split()[0]
                stats.drop(f"brat {kind} on a non-entity annotation ({target[0]}), not read")
            return None
        raise error(line_number, f"{what} names a missing annotation {target!r}")

    for line_number, target, identifier, name in references:
        if target_of(line_number, "normalization", target):
            mention = mentions[target]
            mention.identifiers.append(identifier)
            if name:
                mention.infons[NORMALIZATION_NAME + identifier] = name

    converted: Dict[str, Relation] = {}
    for line_number, relation_id, relation_type, arguments in relations:
        roles: Dict[str, Argument] = {}
        for role, target in arguments:
            if target_of(line_number, f"relation {relation_id}", target) is None:
                roles = {}
                break
            roles[unique_role(role, roles)] = Argument.mention(target)
        if roles:
            converted[relation_id] = Relation(relation_id, relation_type, roles)

    for line_number, kind, target, note in notes:
        holder = mentions.get(target) or converted.get(target)
        if holder is None:
            if target in defined:
                if stats is not None:
                    stats.drop(f"brat note on a non-entity annotation ({target[0]}), not read")
                continue
            raise error(line_number, f"note names a missing annotation {target!r}")
        if kind in holder.infons:
            holder.infons[kind] += "\n" + note
        else:
            holder.infons[kind] = note

    return Document(
        document_id,
        text,
        [Passage(0, text)],
        list(mentions.values()),
        list(converted.values()),
    )


def read_brat(
    path: str, *, discontinuous: str = "pieces", stats: Optional[DocumentStatistics] = None
) -> Iterator[Document]:
    """
    The documents of a BRAT directory (its `.txt`/`.ann` pairs in name order), or of one pair
    (`path` naming either file). `discontinuous`: the multi-span mention policy; `stats`: a
    `DocumentStatistics` to count into.
    """
    check_policy(discontinuous)
    return _read(os.fspath(path), discontinuous, stats)


def _read(path, discontinuous, stats) -> Iterator[Document]:
    for text_file, annotation_file in _pairs(path):
        if stats is not None:
            stats.files += 1
        mismatches = TextMismatches(annotation_file, stats)
        document = _read_pair(text_file, annotation_file, stats)
        yield finish_document(document, mismatches, discontinuous, stats)
        mismatches.warn()


def _flat(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _numbered(ids: Iterable[str], prefix: str) -> Dict[str, str]:
    """Old id -> BRAT id: `<prefix><n>` ids kept, the others numbered after the largest."""
    ids = list(ids)
    pattern = re.compile(rf"^{prefix}\d+$")
    kept = {i for i in ids if pattern.match(i)}
    if len(kept) != len([i for i in ids if pattern.match(i)]):
        kept = set()  # duplicates: renumber everything
    number = max((int(i[1:]) for i in kept), default=0)
    mapping = {}
    for old in ids:
        if old in kept:
            mapping[old] = old
        else:
            number += 1
            mapping[old] = f"{prefix}{number}"
    return mapping


def _annotation_lines(
    document: Document, path: str, unwritable: str, stats: Optional[DocumentStatistics]
) -> List[str]:
    mention_ids = _numbered((m.id for m in document.mentions), "T")
    lines, notes, references = [], [], []
    for mention in document.mentions:
        brat_id = mention_ids[mention.id]
        offsets = ";".join(f"{start} {end}" for start, end in mention.spans)
        lines.append(f"{brat_id}\t{mention.type} {offsets}\t{_flat(mention.text)}")
        for identifier in mention.identifiers:
            name = mention.infons.get(NORMALIZATION_NAME + identifier, "")
            references.append(f"Reference {brat_id} {identifier}\t{_flat(name)}")
        for key, value in mention.infons.items():
            if not key.startswith(NORMALIZATION_NAME):
                notes.append((brat_id, key, value))
    writable = []
    for relation in document.relations:
        if any(argument.kind != MENTION for argument in relation.arguments.values()):
            if unwritable == "error":
                raise DocumentFormatError(
                    path,
                    0,
                    f"cannot be written as BRAT: relation {relation.id} has concept or relation "
                    "arguments (BRAT relations join entities; unwritable='drop' leaves them out, "
                    "counted)",
                    document.id,
                )
            if stats is not None:
                stats.drop("not writable as BRAT: relation with concept or relation arguments")
            continue
        writable.append(relation)
    relation_ids = _numbered((r.id for r in writable), "R")
    for relation in writable:
        brat_id = relation_ids[relation.id]
        arguments = " ".join(
            f"{base_role(role)}:{mention_ids[argument.value]}"
            for role, argument in relation.arguments.items()
        )
        lines.append(f"{brat_id}\t{relation.type} {arguments}")
        notes.extend((brat_id, key, value) for key, value in relation.infons.items())
    lines.extend(f"N{number}\t{line}" for number, line in enumerate(references, start=1))
    # one note per line of a value (the reader joins a target's notes of one type with "\n")
    parts = [(t, k, part) for t, k, value in notes for part in value.split("\n")]
    for number, (target, key, part) in enumerate(parts, start=1):
        lines.append(f"#{number}\t{_flat(key).replace(' ', '_')} {target}\t{_flat(part)}")
    return lines


def write_brat(
    documents: Iterable[Document],
    directory: str,
    *,
    unwritable: str = "error",
    stats: Optional[DocumentStatistics] = None,
) -> int:
    """
    Writes each document as `<directory>/<id>.txt` and `.ann` (the directory is created).
    Returns the document count; each file appears whole or not at all.
    """
    check_unwritable(unwritable)
    directory = os.fspath(directory)
    os.makedirs(directory, exist_ok=True)
    count = 0
    names = set()
    for document in documents:
        try:
            document.validate()
        except ValueError as error:
            raise DocumentFormatError(
                directory, 0, f"cannot be written as BRAT: {error}", document.id
            ) from None
        name = re.sub(r"[/\\\x00]", "_", document.id) or "document"
        if name in names:
            raise DocumentFormatError(
                directory, 0, f"two documents would be written as {name}.txt", document.id
            )
        names.add(name)
        lines = _annotation_lines(
            document, os.path.join(directory, name + ".ann"), unwritable, stats
        )
        with atomic_output_path(os.path.join(directory, name + ".txt")) as temporary:
            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                handle.write(document.text)
        with atomic_output_path(os.path.join(directory, name + ".ann")) as temporary:
            with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
                handle.write("".join(line + "\n" for line in lines))
        count += 1
    return count
