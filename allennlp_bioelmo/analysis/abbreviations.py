"""
Abbreviation definitions in biomedical text, "long form (SF)", by the algorithm of Schwartz &
Hearst (2003), "A simple algorithm for identifying abbreviation definitions in biomedical text"
(PSB 2003), written here from the paper's description:

1. Candidates are the two patterns `long form ( short form )` and `short form ( long form )`
   within one sentence. The text in parentheses is cut at its first "," or ";" (followed by a
   space). When it has more than two words, or is longer than the text before it, the pattern
   is the second one: the short form is then the word just before the parenthesis (it must
   contain a capital letter) and the long form the text inside.
2. A short form is a candidate when it has at most two words, 2 to 10 characters, at least one
   letter, and starts with a letter or digit.
3. The long form is found right to left: every letter and digit of the short form, from its
   last to its first, must match a character of the long-form candidate (case-insensitively),
   in order, and the short form's first character must match the first character of a word.
   The long form starts at the start of the word holding that first match, so it is the
   shortest that matches.
4. The long form is rejected when it has more than min(|A| + 5, 2|A|) words (|A|: the short
   form's letters and digits; words split at spaces and hyphens), is shorter than the short
   form, or holds the short form as a word.

It works on raw and on whitespace-tokenized text ("estrogen receptor ( ER )"). Long forms are
compared after `normalize_long_form` (case-insensitive, a hyphen counting as a space).
`python -m allennlp_bioelmo.analysis.ambiguous_short_forms FILE` lists a collection's short forms
defined with two or more long forms.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

_WORD_SPLIT = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class AbbreviationDefinition:
    """A short form defined by a long form; offsets are character offsets into the text searched
    (end exclusive)."""

    short_form: str
    long_form: str
    short_span: Tuple[int, int]
    long_span: Tuple[int, int]

    @property
    def normalized_long_form(self) -> str:
        return normalize_long_form(self.long_form)


def normalize_long_form(long_form: str) -> str:
    """A long form compared case-insensitively, with a hyphen counting as a space:
    "Estrogen  Receptor" is "estrogen receptor", and "T-cell receptor", "T - cell receptor"
    (tokenized) and "T cell receptor" are all "t cell receptor"."""
    return " ".join(long_form.replace("-", " ").split()).lower()


def short_form_key(short_form: str) -> str:
    """A short form without its whitespace, so that "NF - kappaB" and "NF-kappaB" (and a term
    tokenized either way) agree."""
    return "".join(short_form.split())


def _alphanumeric_count(text: str) -> int:
    return sum(1 for character in text if character.isalnum())


def _words(text: str) -> List[str]:
    return [word for word in _WORD_SPLIT.split(text) if any(c.isalnum() for c in word)]


def is_short_form_candidate(short_form: str) -> bool:
    """At most two words, 2 to 10 characters, a letter, and a letter or digit first."""
    return (
        2 <= len(short_form) <= 10
        and len(short_form.split()) <= 2
        and any(character.isalpha() for character in short_form)
        and short_form[0].isalnum()
    )


def best_long_form_start(short_form: str, candidate: str) -> Optional[int]:
    """
    Where in `candidate` (the text before or inside the parenthesis) the long form of
    `short_form` starts, or None when the characters of the short form cannot be matched (step 3
    of the module docstring).
    """
    position = len(candidate) - 1
    for index in range(len(short_form) - 1, -1, -1):
        character = short_form[index].lower()
        if not character.isalnum():
            continue
        while position >= 0 and (
            candidate[position].lower() != character
            # the short form's first character must start a word of the long form
            or (index == 0 and position > 0 and candidate[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
    # the long form starts at the beginning of the word holding the first match
    return candidate.rfind(" ", 0, position + 1) + 1


def _long_form_acceptable(short_form: str, long_form: str) -> bool:
    letters = _alphanumeric_count(short_form)
    words = len(_words(long_form))
    return (
        0 < letters <= 10
        and len(long_form) >= len(short_form)
        and words <= min(letters + 5, 2 * letters)
        and short_form.lower() not in [word.lower() for word in long_form.split()]
        and not long_form.endswith(short_form)
    )


def _matching_parenthesis(text: str, open_index: int) -> Optional[int]:
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    return None


def _strip_span(text: str, start: int, end: int) -> Tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _definition(
    text: str, short: Tuple[int, int], long: Tuple[int, int]
) -> Optional[AbbreviationDefinition]:
    short_form = text[short[0] : short[1]]
    if not is_short_form_candidate(short_form):
        return None
    candidate = text[long[0] : long[1]]
    start = best_long_form_start(short_form, candidate)
    if start is None:
        return None
    long_start, long_end = _strip_span(text, long[0] + start, long[1])
    long_form = text[long_start:long_end]
    if not _long_form_acceptable(short_form, long_form):
        return None
    return AbbreviationDefinition(short_form, long_form, short, (long_start, long_end))


def find_abbreviations(sentence: str) -> List[AbbreviationDefinition]:
    """The abbreviation definitions of one sentence (or any text that should not be crossed)."""
    definitions = []
    search_from = 0
    while True:
        open_index = sentence.find("(", search_from)
        if open_index < 0:
            return definitions
        close_index = _matching_parenthesis(sentence, open_index)
        if close_index is None:
            return definitions
        search_from = open_index + 1
        inner_start, inner_end = open_index + 1, close_index
        cut = re.search(r"[,;](?=\s|$)", sentence[inner_start:inner_end])
        if cut:
            inner_end = inner_start + cut.start()
        inner_start, inner_end = _strip_span(sentence, inner_start, inner_end)
        before_start, before_end = _strip_span(sentence, 0, open_index)
        if inner_start == inner_end or before_start == before_end:
            continue
        inner = sentence[inner_start:inner_end]
        if len(inner.split()) > 2 or len(inner) > before_end - before_start:
            # short form ( long form ): the short form is the word before the parenthesis
            word_start = sentence.rfind(" ", 0, before_end) + 1
            short = (max(word_start, before_start), before_end)
            if not any(c.isupper() for c in sentence[short[0] : short[1]]):
                continue
            found = _definition(sentence, short, (inner_start, inner_end))
        else:
            found = _definition(sentence, (inner_start, inner_end), (before_start, before_end))
        if found is not None:
            definitions.append(found)


def long_forms_by_short_form(sentences: Iterable[str]) -> Dict[str, Counter]:
    """Short form (`short_form_key`) -> how often each normalized long form defines it."""
    found: Dict[str, Counter] = defaultdict(Counter)
    for sentence in sentences:
        for definition in find_abbreviations(sentence):
            found[short_form_key(definition.short_form)][definition.normalized_long_form] += 1
    return dict(found)
