"""
The one document model every format reads into and writes from.

A `Document` is its whole text plus standoff layers over it: `Passage`s (title, abstract,
sections, DDI sentences: where each part lies in the text), `Mention`s (typed character spans
with their concept identifiers) and `Relation`s (between mentions, or between concepts). Offsets
are *document-level* character offsets (Python string indices; end exclusive), BioC's convention,
whatever the format counted: readers convert (DDI's inclusive sentence-relative `charOffset`s,
PubTator's title/abstract offsets, ...).

The model is sentence-free and keeps what the annotators did: overlapping and nested mentions stay
(`Document.overlaps` finds them; `DocumentStatistics` counts them); a mention over several pieces
of text (BC5CDR's IndividualMention "Ocular ... toxicity", BRAT's `0 5;12 20`, DDI's `10-16;29-36`)
is *one* mention with several spans, in every format. What a consumer does with such mentions is one
policy for all formats, `apply_discontinuous_policy` (each reader's `discontinuous` option):

- "pieces" (default): kept, one mention with all its spans;
- "covering": one span from the first piece's start to the last piece's end (what BIO tagging of a
  gappy mention has always done here);
- "first_span": only the piece that starts first;
- "drop": removed, with the relations that name it.

Every multi-span mention is counted under its policy in `DocumentStatistics.discontinuous`.
"""

import bisect
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

Span = Tuple[int, int]

# How the text of a multi-span mention joins its pieces: BC5CDR, BRAT and DDI use a space, bconv's
# BioC (CRAFT) " ... "; a mention text equal to its pieces joined by any of these matches.
PIECE_SEPARATORS = (" ", " ... ", "", "...", " \u2026 ", "\u2026")

DISCONTINUOUS_POLICIES = ("pieces", "covering", "first_span", "drop")

MENTION = "mention"
CONCEPT = "concept"
RELATION = "relation"
ARGUMENT_KINDS = (MENTION, CONCEPT, RELATION)

# A role that repeats within one relation (two BioC nodes "Theme") gets "#2", "#3", ... appended,
# so that `Relation.arguments` stays a dict; writers strip the suffix (`base_role`).
_ROLE_SUFFIX = re.compile(r"#\d+$")


def base_role(role: str) -> str:
    """The role as the file names it: "Theme#2" -> "Theme"."""
    return _ROLE_SUFFIX.sub("", role)


def unique_role(role: str, taken: Iterable[str]) -> str:
    """`role`, or `role#2`, `role#3`, ... whichever is not in `taken` yet."""
    taken = set(taken)
    if role not in taken:
        return role
    number = 2
    while f"{role}#{number}" in taken:
        number += 1
    return f"{role}#{number}"


@dataclass
class Passage:
    """A part of the document (title, abstract, section, DDI sentence) at `offset` in its text."""

    offset: int
    text: str
    type: Optional[str] = None
    infons: Dict[str, str] = field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.offset + len(self.text)


@dataclass
class Mention:
    """
    A typed mention: `spans` are (start, end) document offsets, end exclusive, in the file's order
    (several for a discontinuous mention); `identifiers` its concept ids, several for a composite
    mention (BC5CDR's `D014786|D006311`), kept verbatim (BC5CDR's "-1" = no identifier stays "-1");
    `text` what the file says the mention reads (readers fill it from the document where the file
    has none); `infons` everything else the file said about it.
    """

    id: str
    spans: List[Span]
    type: str
    identifiers: List[str] = field(default_factory=list)
    text: str = ""
    infons: Dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.spans = [(int(start), int(end)) for start, end in self.spans]

    @property
    def start(self) -> int:
        return min(start for start, _ in self.spans)

    @property
    def end(self) -> int:
        return max(end for _, end in self.spans)

    @property
    def is_discontinuous(self) -> bool:
        return len(self.spans) > 1

    def characters(self) -> set:
        """The set of character positions the mention covers (its pieces, not their gaps)."""
        return {position for start, end in self.spans for position in range(start, end)}


@dataclass(frozen=True)
class Argument:
    """
    One argument of a relation: a mention id (kind "mention"), a concept identifier such as a
    MeSH id (kind "concept": BC5CDR's CID relations, PubTator relation lines), or another
    relation's id (kind "relation": BioC nodes may point at relations).
    """

    value: str
    kind: str = MENTION

    def __post_init__(self) -> None:
        if self.kind not in ARGUMENT_KINDS:
            raise ValueError(f"argument kind must be one of {ARGUMENT_KINDS}, not {self.kind!r}")

    @classmethod
    def mention(cls, mention_id: str) -> "Argument":
        return cls(mention_id, MENTION)

    @classmethod
    def concept(cls, identifier: str) -> "Argument":
        return cls(identifier, CONCEPT)


@dataclass
class Relation:
    """A typed relation; `arguments` maps each role (e.g. "Chemical", "Arg1", "e1") to its
    `Argument`."""

    id: str
    type: str
    arguments: Dict[str, Argument]
    infons: Dict[str, str] = field(default_factory=dict)

    @property
    def is_concept_level(self) -> bool:
        return bool(self.arguments) and all(a.kind == CONCEPT for a in self.arguments.values())

    @property
    def is_mention_level(self) -> bool:
        return bool(self.arguments) and all(a.kind == MENTION for a in self.arguments.values())


@dataclass
class Document:
    id: str
    text: str
    passages: List[Passage] = field(default_factory=list)
    mentions: List[Mention] = field(default_factory=list)
    relations: List[Relation] = field(default_factory=list)
    infons: Dict[str, str] = field(default_factory=dict)

    @staticmethod
    def text_from_passages(passages: Sequence[Passage]) -> str:
        """
        The passages' texts at their offsets, gaps filled with spaces (BioC passages may leave
        gaps: BC5CDR's abstract starts one character after its title). Raises `ValueError` when
        a passage starts before the previous one ends.
        """
        parts: List[str] = []
        length = 0
        for index, passage in enumerate(passages):
            if passage.offset < length:
                raise ValueError(
                    f"passage {index} starts at offset {passage.offset}, before the previous "
                    f"passage ends ({length}): passages must be in order and must not overlap"
                )
            parts.append(" " * (passage.offset - length))
            parts.append(passage.text)
            length = passage.offset + len(passage.text)
        return "".join(parts)

    @classmethod
    def from_passages(cls, id: str, passages: List[Passage], **fields) -> "Document":
        """The document of `passages`, its text `text_from_passages` (gaps filled with spaces;
        a reader may fill them with other whitespace, as DDI's `sentence_separator` does)."""
        return cls(id=id, text=cls.text_from_passages(passages), passages=passages, **fields)

    def mention(self, mention_id: str) -> Mention:
        for mention in self.mentions:
            if mention.id == mention_id:
                return mention
        raise KeyError(f"document {self.id} has no mention {mention_id!r}")

    def mentions_by_id(self) -> Dict[str, Mention]:
        return {mention.id: mention for mention in self.mentions}

    def text_at(self, spans: Sequence[Span], separator: str = " ") -> str:
        """The document text at `spans`, pieces joined by `separator`."""
        return separator.join(self.text[start:end] for start, end in spans)

    def mention_text_matches(self, mention: Mention) -> bool:
        """
        Whether `mention.text` is what the document reads at its spans: exactly, for one span;
        the pieces joined by one of `PIECE_SEPARATORS` (or the covering span's text), for several.
        """
        if len(mention.spans) == 1:
            return self.text_at(mention.spans) == mention.text
        if any(self.text_at(mention.spans, sep) == mention.text for sep in PIECE_SEPARATORS):
            return True
        return self.text[mention.start : mention.end] == mention.text

    def passage_at(self, offset: int) -> Optional[Passage]:
        """The passage holding character `offset` (None in a gap between passages)."""
        starts = [passage.offset for passage in self.passages]
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset < self.passages[index].end:
            return self.passages[index]
        return None

    def overlaps(self) -> Iterator[Tuple[Mention, Mention, str]]:
        """
        Every pair of mentions sharing characters, with how: "identical" (same characters, e.g.
        one span annotated twice with different types), "nested" (one inside the other) or
        "crossing". Mentions stay in the model; the NER readers decide what to do with them.
        """
        ordered = sorted(self.mentions, key=lambda m: (m.start, -m.end))
        active: List[Mention] = []
        for mention in ordered:
            active = [other for other in active if other.end > mention.start]
            for other in active:
                first, second = other.characters(), mention.characters()
                shared = first & second
                if not shared:
                    continue
                if first == second:
                    kind = "identical"
                elif shared == first or shared == second:
                    kind = "nested"
                else:
                    kind = "crossing"
                yield other, mention, kind
            active.append(mention)

    def validate(self) -> None:
        """
        Raises `ValueError` naming the document unless the layers fit the text: passages inside
        it and in order, the text equal to the passages at their offsets, mention spans non-empty
        and inside it, mention ids unique, relation arguments naming existing mentions/relations.
        """
        where = f"document {self.id}"
        if self.passages:
            end = 0
            for passage in self.passages:
                if (
                    passage.offset < end
                    or self.text[passage.offset : passage.end] != passage.text
                    or self.text[end : passage.offset].strip()
                ):
                    raise ValueError(
                        f"{where}: its text is not its passages' texts at their offsets (in "
                        "order, gaps of whitespace only)"
                    )
                end = passage.end
            if self.text[end:].strip():
                raise ValueError(f"{where}: its text goes on after its last passage")
        seen = set()
        for mention in self.mentions:
            if mention.id in seen:
                raise ValueError(f"{where}: two mentions have the id {mention.id!r}")
            seen.add(mention.id)
            if not mention.spans:
                raise ValueError(f"{where}: mention {mention.id} has no span")
            for start, end in mention.spans:
                if not 0 <= start < end <= len(self.text):
                    raise ValueError(
                        f"{where}: mention {mention.id} span {start}-{end} is empty or lies "
                        f"outside the text ({len(self.text)} characters)"
                    )
        relation_ids = {relation.id for relation in self.relations}
        for relation in self.relations:
            for role, argument in relation.arguments.items():
                known = {MENTION: seen, RELATION: relation_ids}.get(argument.kind)
                if known is not None and argument.value not in known:
                    raise ValueError(
                        f"{where}: relation {relation.id} argument {role} names a missing "
                        f"{argument.kind} {argument.value!r}"
                    )


def apply_discontinuous_policy(
    document: Document, policy: str = "pieces", stats: Optional["DocumentStatistics"] = None
) -> Document:
    """
    `document` with its multi-span mentions handled by `policy` (see the module docstring):
    the same document when nothing changes, a copy otherwise. Counts each multi-span mention in
    `stats.discontinuous[policy]`, and each relation dropped with a dropped mention.
    """
    if policy not in DISCONTINUOUS_POLICIES:
        raise ValueError(
            f"discontinuous must be one of {', '.join(DISCONTINUOUS_POLICIES)}, not {policy!r}"
        )
    multi = [mention for mention in document.mentions if mention.is_discontinuous]
    if stats is not None and multi:
        stats.discontinuous[policy] += len(multi)
    if not multi or policy == "pieces":
        return document
    mentions: List[Mention] = []
    dropped = set()
    for mention in document.mentions:
        if not mention.is_discontinuous:
            mentions.append(mention)
        elif policy == "drop":
            dropped.add(mention.id)
        else:
            if policy == "covering":
                span = (mention.start, mention.end)
            else:
                span = min(mention.spans)
            mentions.append(
                dataclasses.replace(mention, spans=[span], text=document.text_at([span]))
            )
    relations = [
        relation
        for relation in document.relations
        if not any(
            argument.kind == MENTION and argument.value in dropped
            for argument in relation.arguments.values()
        )
    ]
    if stats is not None and len(relations) < len(document.relations):
        stats.drop(
            "relation naming a dropped discontinuous mention",
            len(document.relations) - len(relations),
        )
    return dataclasses.replace(document, mentions=mentions, relations=relations)


@dataclass
class DocumentStatistics:
    """
    What readers read and what they left out, for logs, tests and `allennlp bioelmo-stats`.
    Pass one to a reader (`stats=`) and it counts every document it yields (`count_document`),
    plus what it dropped (`drop(reason)`) and the mentions whose text differs from the document
    at their offsets (`text_mismatches`, kept and warned about, never shifted).
    """

    files: int = 0
    documents: int = 0
    passages: int = 0
    characters: int = 0
    mentions: Counter = field(default_factory=Counter)  # by type
    relations: Counter = field(default_factory=Counter)  # by type
    relation_kinds: Counter = field(default_factory=Counter)  # mention / concept / mixed
    discontinuous: Counter = field(default_factory=Counter)  # multi-span mentions, by policy
    overlaps: Counter = field(default_factory=Counter)  # mention pairs: identical/nested/crossing
    text_mismatches: int = 0
    dropped: Counter = field(default_factory=Counter)  # reason -> count

    def count_document(self, document: Document) -> None:
        self.documents += 1
        self.passages += len(document.passages)
        self.characters += len(document.text)
        self.mentions.update(mention.type for mention in document.mentions)
        self.relations.update(relation.type for relation in document.relations)
        for relation in document.relations:
            kinds = {argument.kind for argument in relation.arguments.values()}
            self.relation_kinds[kinds.pop() if len(kinds) == 1 else "mixed"] += 1
        self.overlaps.update(kind for _, _, kind in document.overlaps())

    def drop(self, reason: str, count: int = 1) -> None:
        self.dropped[reason] += count

    @property
    def mention_count(self) -> int:
        return sum(self.mentions.values())

    @property
    def relation_count(self) -> int:
        return sum(self.relations.values())

    def merge(self, other: "DocumentStatistics") -> "DocumentStatistics":
        """Adds `other`'s counts to this one's; returns self."""
        for item in dataclasses.fields(self):
            mine = getattr(self, item.name)
            if isinstance(mine, Counter):
                mine.update(getattr(other, item.name))
            else:
                setattr(self, item.name, mine + getattr(other, item.name))
        return self

    def to_dict(self) -> dict:
        return {
            item.name: (
                dict(sorted(getattr(self, item.name).items()))
                if isinstance(getattr(self, item.name), Counter)
                else getattr(self, item.name)
            )
            for item in dataclasses.fields(self)
        }

    def summary(self) -> str:
        """A few human-readable lines."""

        def counts(counter: Counter) -> str:
            return ", ".join(f"{key} {value:,}" for key, value in counter.most_common()) or "-"

        lines = [
            f"{self.documents:,} documents ({self.files:,} files), {self.passages:,} passages, "
            f"{self.characters:,} characters",
            f"mentions: {self.mention_count:,} ({counts(self.mentions)})",
            f"relations: {self.relation_count:,} ({counts(self.relations)})",
        ]
        if self.discontinuous:
            lines.append(f"multi-span mentions, by policy: {counts(self.discontinuous)}")
        if self.overlaps:
            lines.append(f"overlapping mention pairs: {counts(self.overlaps)}")
        if self.text_mismatches:
            lines.append(f"mention texts differing from the document: {self.text_mismatches:,}")
        if self.dropped:
            lines.append(f"dropped: {counts(self.dropped)}")
        return "\n".join(lines)
