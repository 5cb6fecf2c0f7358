"""
From a document with character-offset mentions (PubTator, BRAT) to tagged sentences.

Rule: split the document into sentences (a sentence boundary that falls inside a mention is
dropped, so the two sentences merge); tokenize each sentence with every mention start and end
forced to be a token boundary, so no mention is lost to tokenization; tag the tokens a mention
covers. Where mentions overlap (nested or composite annotations), BIO tags can hold only one:
the longer mention is placed (ties: the earlier one), the other is counted as dropped.
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
    """How many mentions a document had, how many became tags, how many overlapped another."""

    read: int = 0
    placed: int = 0
    overlapping: int = 0
    per_type: dict = field(default_factory=dict)

    def add(self, other: "MentionCounts") -> None:
        """Add another document's counts to these."""
        self.read += other.read
        self.placed += other.placed
        self.overlapping += other.overlapping
        for key, value in other.per_type.items():
            self.per_type[key] = self.per_type.get(key, 0) + value


def sentence_spans(
    text: str, mentions: List[Mention], splitter: BioSentenceSplitter
) -> List[Tuple[int, int]]:
    """Sentence spans of `text`, merged where a split would cut through a mention."""
    spans = splitter.split_offsets(text)
    merged: List[Tuple[int, int]] = []
    for start, end in spans:
        if merged and any(
            m.start < merged[-1][1] and m.end > start for m in mentions if m.start < start
        ):
            merged[-1] = (merged[-1][0], end)  # a mention crosses this boundary
        else:
            merged.append((start, end))
    return merged


def tag_document(
    text: str,
    mentions: List[Mention],
    tokenizer: Optional[BioRegexTokenizer] = None,
    splitter: Optional[BioSentenceSplitter] = None,
) -> Tuple[List[TaggedSentence], MentionCounts]:
    """
    Split `text` into sentences and tokens (mention boundaries force token splits) and tag them.
    """
    tokenizer = tokenizer or BioRegexTokenizer()
    splitter = splitter or BioSentenceSplitter()
    counts = MentionCounts(read=len(mentions))
    # longest first, then earliest: the order in which overlapping mentions claim tokens
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), m.start))
    sentences = []
    for start, end in sentence_spans(text, mentions, splitter):
        inside = [m for m in ordered if start <= m.start and m.end <= end]
        cuts = {offset for m in inside for offset in (m.start, m.end)}
        tokens = tokenizer.tokenize_span(text, start, end, split_at=cuts)
        tags = ["O"] * len(tokens)
        for mention in inside:
            covered = [
                i
                for i, t in enumerate(tokens)
                if mention.start <= t.idx and t.idx_end <= mention.end
            ]
            if not covered or any(tags[i] != "O" for i in covered):
                counts.overlapping += 1
                continue
            tags[covered[0]] = f"B-{mention.entity_type}"
            for i in covered[1:]:
                tags[i] = f"I-{mention.entity_type}"
            counts.placed += 1
            counts.per_type[mention.entity_type] = counts.per_type.get(mention.entity_type, 0) + 1
        if tokens:
            sentences.append(TaggedSentence(start, end, tokens, tags))
    return sentences, counts
