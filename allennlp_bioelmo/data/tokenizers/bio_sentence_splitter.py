"""
The `bio_rule` sentence splitter: offline, rule-based, for biomedical abstracts, with offsets.
"""

import re
from typing import List, Tuple

from allennlp.data.tokenizers.sentence_splitter import SentenceSplitter

# Words after which a period does not end a sentence in biomedical abstracts.
ABBREVIATIONS = {
    "al",
    "e.g",
    "i.e",
    "vs",
    "fig",
    "figs",
    "ref",
    "refs",
    "dr",
    "prof",
    "mr",
    "mrs",
    "ms",
    "no",
    "approx",
    "ca",
    "cf",
    "etc",
    "sp",
    "spp",
    "var",
    "subsp",
    "eq",
    "eqs",
    "vol",
    "st",
    "inc",
    "ltd",
    "co",
    "corp",
    "jr",
    "sr",
    "mol",
    "wt",
    "conc",
}
# A sentence ends at ., ! or ? followed by whitespace and an upper-case letter, a digit or an
# opening bracket/quote; the abbreviation list vetoes the break.
BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u0391-\u03A9])")


@SentenceSplitter.register("bio_rule")
class BioSentenceSplitter(SentenceSplitter):
    """
    An offline rule-based sentence splitter for biomedical abstracts; `split_offsets` gives
    character spans so that offsets survive splitting.

    Registered as a `SentenceSplitter` with name "bio_rule".
    """

    def split_sentences(self, text: str) -> List[str]:
        """The sentences of `text`, as strings."""
        return [text[start:end] for start, end in self.split_offsets(text)]

    def split_offsets(self, text: str) -> List[Tuple[int, int]]:
        """`[start, end)` character spans of the sentences of `text`, without surrounding space."""
        spans = []
        start = 0
        for match in BOUNDARY.finditer(text):
            word = re.search(r"(\S+?)[.!?]+[\"')\]]*$", text[start : match.end()])
            previous = word.group(1).lower() if word else ""
            if previous in ABBREVIATIONS or (len(previous) == 1 and previous.isalpha()):
                continue
            spans.append((start, match.end()))
            start = match.end()
        spans.append((start, len(text)))
        return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> Tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
