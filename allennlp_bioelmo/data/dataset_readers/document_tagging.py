"""
From a document with character-offset mentions (PubTator, BRAT) to tagged sentences.

Rule: split the document into sentences (a sentence boundary that falls inside a mention is
removed, so the two sentences merge; counted); tokenize each sentence with every mention start
and end forced to be a token boundary, so no mention is lost to tokenization; tag the tokens a
mention covers. Where mentions overlap (nested or composite annotations), BIO tags can hold only
one: the longer mention is placed (ties: the earlier one), the other is counted as dropped (as is
a mention that covers no token, only whitespace). `NerDocumentReader` logs these counts.
"""

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from allennlp.data.tokenizers import Token

from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter


@dataclass(frozen=True)
class Mention:
    """An entity mention: character offsets `[start, end)` in its document and its type."""

    start: int
    end: int
    entity_type: str
    line_number: int = 0


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
    `overlapping_per_type`) or cover no token (`no_token`, `no_token_per_type`: only whitespace),
    and how many sentence boundaries were removed because a mention crosses them
    (`merged_boundaries`).
    """

    read: int = 0
    placed: int = 0
    overlapping: int = 0
    per_type: dict = field(default_factory=dict)
    no_token: int = 0
    overlapping_per_type: dict = field(default_factory=dict)
    no_token_per_type: dict = field(default_factory=dict)
    merged_boundaries: int = 0

    @property
    def dropped(self) -> int:
        """Mentions read but not tagged."""
        return self.overlapping + self.no_token

    def add(self, other: "MentionCounts") -> None:
        """Add another document's counts to these."""
        self.read += other.read
        self.placed += other.placed
        self.overlapping += other.overlapping
        self.no_token += other.no_token
        self.merged_boundaries += other.merged_boundaries
        for mine, theirs in (
            (self.per_type, other.per_type),
            (self.overlapping_per_type, other.overlapping_per_type),
            (self.no_token_per_type, other.no_token_per_type),
        ):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


def sentence_spans(
    text: str, mentions: List[Mention], splitter: BioSentenceSplitter
) -> Tuple[List[Tuple[int, int]], int]:
    """
    Sentence spans of `text`, merged where a split would cut through a mention, and how many
    boundaries were removed that way.
    """
    spans = splitter.split_offsets(text)
    merged: List[Tuple[int, int]] = []
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


def tag_document(
    text: str,
    mentions: List[Mention],
    tokenizer: Optional[BioRegexTokenizer] = None,
    splitter: Optional[BioSentenceSplitter] = None,
) -> Tuple[List[TaggedSentence], MentionCounts]:
    """
    Split `text` into sentences and tokens (mention boundaries force token splits) and tag them.
    Every mention is counted: placed, or dropped with its reason.
    """
    tokenizer = tokenizer or BioRegexTokenizer()
    splitter = splitter or BioSentenceSplitter()
    counts = MentionCounts(read=len(mentions))
    # longest first, then earliest: the order in which overlapping mentions claim tokens
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), m.start))
    spans, counts.merged_boundaries = sentence_spans(text, mentions, splitter)
    sentences = []
    claimed = set()  # mentions that overlap a sentence (each overlaps at most one after merging)
    for start, end in spans:
        # a mention belongs to the sentence it overlaps (it may begin or end in the whitespace
        # around the sentence, which the splitter trims)
        inside = [m for m in ordered if m.start < end and m.end > start]
        cuts = {offset for m in inside for offset in (m.start, m.end) if start < offset < end}
        tokens = tokenizer.tokenize_span(text, start, end, split_at=cuts)
        tags = ["O"] * len(tokens)
        for mention in inside:
            claimed.add(id(mention))
            covered = [
                i
                for i, t in enumerate(tokens)
                if mention.start <= t.idx and t.idx_end <= mention.end
            ]
            if not covered:
                _drop(counts, mention, overlapping=False)
                continue
            if any(tags[i] != "O" for i in covered):
                _drop(counts, mention, overlapping=True)
                continue
            tags[covered[0]] = f"B-{mention.entity_type}"
            for i in covered[1:]:
                tags[i] = f"I-{mention.entity_type}"
            counts.placed += 1
            counts.per_type[mention.entity_type] = counts.per_type.get(mention.entity_type, 0) + 1
        if tokens:
            sentences.append(TaggedSentence(start, end, tokens, tags))
    for mention in mentions:
        if id(mention) not in claimed:  # only whitespace between or around sentences
            _drop(counts, mention, overlapping=False)
    return sentences, counts


def _drop(counts: MentionCounts, mention: Mention, overlapping: bool) -> None:
    if overlapping:
        counts.overlapping += 1
        per_type = counts.overlapping_per_type
    else:
        counts.no_token += 1
        per_type = counts.no_token_per_type
    per_type[mention.entity_type] = per_type.get(mention.entity_type, 0) + 1
