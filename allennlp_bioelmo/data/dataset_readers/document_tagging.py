"""
From a document (`allennlp_bioelmo.documents.Document`: text, passages, mentions with document
offsets) to tagged sentences.

Rule: split each passage into sentences on its own, so that no sentence crosses a passage
boundary (a title never runs into its abstract; a passage of type "sentence", as DDI-2013's
sentences are, is one sentence as the corpus split it); a sentence boundary that falls inside a
mention is removed, so the two sentences merge (counted). Tokenize each sentence with every
mention start and end forced to be a token boundary, so no mention is lost to tokenization; tag the
tokens a mention covers. A mention is tagged over its covering span, from its first start to its
last end (BIO tags cannot leave a gap; the NER readers apply their `discontinuous` policy to
multi-span mentions before tagging). Where mentions overlap (nested or composite annotations), BIO
tags can hold only one: the longer mention is placed (ties: the earlier one), the other is counted
as dropped, as is a mention that covers no token (only whitespace) and one that crosses a passage
boundary. `NerDocumentReader` logs these counts.

`Mention` here is `allennlp_bioelmo.documents.Mention`, the one mention type of the code base.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from allennlp.data.tokenizers import Token

from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter
from allennlp_bioelmo.documents.document import Document, Mention, Passage

__all__ = [
    "CROSSES_PASSAGE",
    "Mention",
    "MentionCounts",
    "NO_TOKEN",
    "OVERLAPPING",
    "SENTENCE_PASSAGE",
    "TaggedSentence",
    "passage_spans",
    "passage_sentence_spans",
    "sentence_spans",
    "tag",
    "tag_document",
    "tag_tokens",
    "tokenize_sentence",
]

Span = Tuple[int, int]

# Why the tagging step drops a mention (the words `ReaderStatistics` shows).
OVERLAPPING = "overlaps a longer (or an equally long, earlier) mention"
NO_TOKEN = "covers no token (only whitespace)"
CROSSES_PASSAGE = "crosses a passage boundary"

# Passages of this type are sentences already (DDI-2013's): they are not split again.
SENTENCE_PASSAGE = "sentence"


@dataclass
class TaggedSentence:
    """A sentence of a document: its character span, tokens (with offsets) and BIO tags."""

    start: int
    end: int
    tokens: List[Token]
    tags: List[str]


@dataclass
class MentionCounts:
    """
    How many mentions a document had, how many became tags (by type in `per_type`), how many
    were dropped because they overlap a mention already tagged (`overlapping`, by type in
    `overlapping_per_type`), cover no token (`no_token`, `no_token_per_type`: only whitespace) or
    cross a passage boundary (`crossing_passage`, `crossing_passage_per_type`), and how many
    sentence boundaries were removed because a mention crosses them (`merged_boundaries`).
    """

    read: int = 0
    placed: int = 0
    overlapping: int = 0
    per_type: dict = field(default_factory=dict)
    no_token: int = 0
    overlapping_per_type: dict = field(default_factory=dict)
    no_token_per_type: dict = field(default_factory=dict)
    merged_boundaries: int = 0
    crossing_passage: int = 0
    crossing_passage_per_type: dict = field(default_factory=dict)

    @property
    def dropped(self) -> int:
        """Mentions read but not tagged."""
        return self.overlapping + self.no_token + self.crossing_passage

    def dropped_per_type(self) -> Dict[str, Counter]:
        """Mention type -> reason (`OVERLAPPING`, `NO_TOKEN`, `CROSSES_PASSAGE`) -> count."""
        result: Dict[str, Counter] = {}
        for reason, per_type in (
            (OVERLAPPING, self.overlapping_per_type),
            (NO_TOKEN, self.no_token_per_type),
            (CROSSES_PASSAGE, self.crossing_passage_per_type),
        ):
            for mention_type, number in per_type.items():
                result.setdefault(mention_type, Counter())[reason] += number
        return result

    def add(self, other: "MentionCounts") -> None:
        """Add another document's counts to these."""
        self.read += other.read
        self.placed += other.placed
        self.overlapping += other.overlapping
        self.no_token += other.no_token
        self.crossing_passage += other.crossing_passage
        self.merged_boundaries += other.merged_boundaries
        for mine, theirs in (
            (self.per_type, other.per_type),
            (self.overlapping_per_type, other.overlapping_per_type),
            (self.no_token_per_type, other.no_token_per_type),
            (self.crossing_passage_per_type, other.crossing_passage_per_type),
        ):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


def _merge_crossed(spans: List[Span], mentions: Sequence[Mention]) -> Tuple[List[Span], int]:
    """`spans` (in order) with every boundary that a mention crosses removed; how many were."""
    merged: List[Span] = []
    removed = 0
    for start, end in spans:
        if merged and any(
            m.start < merged[-1][1] and m.end > start for m in mentions if m.start < start
        ):
            merged[-1] = (merged[-1][0], end)  # a mention crosses this boundary
            removed += 1
        else:
            merged.append((start, end))
    return merged, removed


def sentence_spans(
    text: str, mentions: List[Mention], splitter: BioSentenceSplitter
) -> Tuple[List[Span], int]:
    """
    Sentence spans of `text` (one piece of text, passages ignored), merged where a split would
    cut through a mention, and how many boundaries were removed that way. Mentions need `start`
    and `end` offsets into `text`.
    """
    return _merge_crossed(splitter.split_offsets(text), mentions)


def passage_spans(text: str, passages: Optional[Sequence[Passage]] = None) -> List[Span]:
    """`(start, end)` of every passage, in order; the whole text when there are none."""
    if not passages:
        return [(0, len(text))]
    return [(passage.offset, passage.end) for passage in passages]


def passage_sentence_spans(
    text: str,
    mentions: Sequence[Mention],
    splitter: BioSentenceSplitter,
    passages: Optional[Sequence[Passage]] = None,
) -> Tuple[List[Span], int]:
    """
    Sentence spans of a document whose `text` holds `passages` (document offsets), each passage
    split on its own (a passage of type "sentence" is one sentence), merged where a split would
    cut through a mention (never across a passage boundary); and how many boundaries were removed.
    Without passages, the same as `sentence_spans`.
    """
    spans: List[Span] = []
    removed = 0
    kinds = [p.type for p in passages] if passages else [None]
    for (start, end), kind in zip(passage_spans(text, passages), kinds):
        piece = text[start:end]
        if kind == SENTENCE_PASSAGE:
            found = [_strip(piece, 0, len(piece))] if piece.strip() else []
        else:
            found = splitter.split_offsets(piece)
        inside = [m for m in mentions if m.start < end and m.end > start]
        merged, count = _merge_crossed([(s + start, e + start) for s, e in found], inside)
        spans.extend(merged)
        removed += count
    return spans, removed


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tokenize_sentence(
    text: str,
    start: int,
    end: int,
    mentions: Sequence[Mention],
    tokenizer: Optional[BioRegexTokenizer] = None,
) -> List[Token]:
    """
    Tokens of `text[start:end]` (offsets into `text`) with the start and end of every mention in
    `mentions` that lie inside the span forced to be token boundaries.
    """
    tokenizer = tokenizer or BioRegexTokenizer()
    cuts = {offset for m in mentions for offset in (m.start, m.end) if start < offset < end}
    return tokenizer.tokenize_span(text, start, end, split_at=cuts)


def tag_tokens(tokens: Sequence[Token], start: int, end: int, mention_type: str, tags: List[str]):
    """
    Tag the tokens of `tokens` that lie inside `[start, end)` as one `mention_type` mention, in
    place in `tags` (BIO); returns what happened: "placed", "overlapping" (a covered token is
    tagged already, nothing changed) or "no_token" (the span covers no token).
    """
    covered = [i for i, t in enumerate(tokens) if start <= t.idx and t.idx_end <= end]
    if not covered:
        return "no_token"
    if any(tags[i] != "O" for i in covered):
        return "overlapping"
    tags[covered[0]] = f"B-{mention_type}"
    for i in covered[1:]:
        tags[i] = f"I-{mention_type}"
    return "placed"


def tag_document(
    text: str,
    mentions: List[Mention],
    tokenizer: Optional[BioRegexTokenizer] = None,
    splitter: Optional[BioSentenceSplitter] = None,
    passages: Optional[Sequence[Passage]] = None,
) -> Tuple[List[TaggedSentence], MentionCounts]:
    """
    Split `text` into sentences (per passage, when `passages` are given) and tokens (mention
    boundaries force token splits) and tag them. Every mention is counted: placed, or dropped with
    its reason. A mention with several spans is tagged over its covering span.
    """
    tokenizer = tokenizer or BioRegexTokenizer()
    splitter = splitter or BioSentenceSplitter()
    counts = MentionCounts(read=len(mentions))
    # longest first, then earliest: the order in which overlapping mentions claim tokens
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), m.start))
    spans, counts.merged_boundaries = passage_sentence_spans(text, mentions, splitter, passages)
    # a mention belongs to the sentence it overlaps (it may begin or end in the whitespace around
    # the sentence, which the splitter trims); after merging, one that overlaps several sentences
    # crosses a passage boundary
    overlapped: Dict[int, int] = Counter()
    for start, end in spans:
        for mention in mentions:
            if mention.start < end and mention.end > start:
                overlapped[id(mention)] += 1
    sentences = []
    for start, end in spans:
        inside = [m for m in ordered if m.start < end and m.end > start and overlapped[id(m)] == 1]
        tokens = tokenize_sentence(text, start, end, inside, tokenizer)
        tags = ["O"] * len(tokens)
        for mention in inside:
            outcome = tag_tokens(tokens, mention.start, mention.end, mention.type, tags)
            if outcome == "placed":
                counts.placed += 1
                counts.per_type[mention.type] = counts.per_type.get(mention.type, 0) + 1
            else:
                _drop(counts, mention, outcome)
        if tokens:
            sentences.append(TaggedSentence(start, end, tokens, tags))
    for mention in mentions:
        if overlapped[id(mention)] == 0:  # only whitespace between or around sentences
            _drop(counts, mention, "no_token")
        elif overlapped[id(mention)] > 1:
            _drop(counts, mention, "crossing_passage")
    return sentences, counts


def tag(
    document: Document,
    mentions: Optional[List[Mention]] = None,
    tokenizer: Optional[BioRegexTokenizer] = None,
    splitter: Optional[BioSentenceSplitter] = None,
) -> Tuple[List[TaggedSentence], MentionCounts]:
    """`tag_document` on a `Document`: its text, passages and `mentions` (default its own)."""
    return tag_document(
        document.text,
        document.mentions if mentions is None else mentions,
        tokenizer,
        splitter,
        passages=document.passages,
    )


def _drop(counts: MentionCounts, mention: Mention, reason: str) -> None:
    if reason == "overlapping":
        counts.overlapping += 1
        per_type = counts.overlapping_per_type
    elif reason == "no_token":
        counts.no_token += 1
        per_type = counts.no_token_per_type
    else:
        counts.crossing_passage += 1
        per_type = counts.crossing_passage_per_type
    per_type[mention.type] = per_type.get(mention.type, 0) + 1
