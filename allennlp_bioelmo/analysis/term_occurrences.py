"""
A term's occurrences in a collection of documents, and their labels.

`read_collection` reads every input `bioelmo-senses` takes into documents split into sentences
and tokens (with character offsets into the document):

* `text`: plain text, one document per line, split into sentences (`bio_rule`) and tokens
  (`bio_regex`);
* `sentences`: whitespace-tokenized sentences, one per line (bilm-tf's format); a line is a
  document of one sentence;
* `pubtator`, `bioc_xml`, `bioc_json`, `brat`, `ddi_xml` (`allennlp_bioelmo.documents`): each
  passage split into sentences and tokens (`bio_regex`, cut at mention boundaries), the mentions
  kept for gold labels.

The format is detected when not given: the document formats from their content
(`allennlp_bioelmo.documents.detect_format`); otherwise a file whose commas and parentheses stand
apart as tokens ("receptor ( ER ) ,") is `sentences`, anything else `text`.

`find_occurrences` finds a term as whole tokens, case-sensitively: "ER" matches the token "ER" of
"ER - positive" (raw "ER-positive" is tokenized so) but not "ERs" or "er"; a term of several
tokens ("NF-kappaB") matches the same token sequence. Labels come from one source:

* `gold_labels`: the type (or the identifiers) of the annotated mention at the occurrence
  (PubTator, BioC, ...);
* `abbreviation_labels`: the long form of a Schwartz-Hearst definition of the term in the same
  document (for `sentences`: the same sentence), normalized; it labels every occurrence of the
  short form in that document, each with the nearest definition before it (or the first one,
  for occurrences before any definition);
* `file_labels`: a JSON-lines file of `{"tokens": [...], "start": i, "end": j, "label": ...}`
  (token indices of a sentence, end exclusive) or `{"text": "...", "start": c, "end": d,
  "label": ...}` (character offsets into a document's or a sentence's text); an entry labels
  every occurrence it names (a sentence repeated in the collection, every copy), and a `null`
  label is skipped.

Occurrences without a label keep `label` None (drawn grey, left out of the scores).
"""

import json
import os
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from allennlp_bioelmo.analysis import AnalysisError
from allennlp_bioelmo.analysis.abbreviations import find_abbreviations, short_form_key
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter
from allennlp_bioelmo.documents import FORMATS as DOCUMENT_FORMATS
from allennlp_bioelmo.documents import DocumentFormatError, Mention, detect_format, read_documents

PLAIN_FORMATS = ("text", "sentences")
INPUT_FORMATS = PLAIN_FORMATS + DOCUMENT_FORMATS
LABEL_SOURCES = ("gold", "gold-identifier", "abbreviations")
Span = Tuple[int, int]


@dataclass
class Sentence:
    """A sentence of a document: its character span and its tokens with their spans."""

    start: int
    end: int
    tokens: List[str]
    spans: List[Span]


@dataclass
class CollectionDocument:
    id: str
    text: str
    sentences: List[Sentence]
    mentions: List[Mention] = field(default_factory=list)


@dataclass
class Collection:
    path: str
    format: str
    documents: List[CollectionDocument]

    @property
    def whitespace_tokenized(self) -> bool:
        return self.format == "sentences"

    def term_tokens(self, term: str) -> List[str]:
        """A term as the collection's tokenizer cuts it."""
        if self.whitespace_tokenized:
            return term.split()
        return [token.text for token in BioRegexTokenizer().tokenize(term)]

    def sizes(self) -> Tuple[int, int, int]:
        """Documents, sentences, tokens."""
        sentences = [s for d in self.documents for s in d.sentences]
        return len(self.documents), len(sentences), sum(len(s.tokens) for s in sentences)


@dataclass
class Occurrence:
    """Tokens `start:end` of sentence `sentence` of document `document` are `term`."""

    document: int
    sentence: int
    start: int
    end: int
    term: str
    label: Optional[str] = None

    def char_span(self, collection: Collection) -> Span:
        spans = collection.documents[self.document].sentences[self.sentence].spans
        return spans[self.start][0], spans[self.end - 1][1]

    def sentence_text(
        self,
        collection: Collection,
        marker: Tuple[str, str] = ("[", "]"),
        context: Optional[int] = None,
    ) -> str:
        """The sentence, with the occurrence between the two `marker` strings; with `context`,
        at most that many characters of it on either side ("..." where cut)."""
        document = collection.documents[self.document]
        sentence = document.sentences[self.sentence]
        start, end = self.char_span(collection)
        text = document.text
        left, right = sentence.start, sentence.end
        before = after = ""
        if context is not None:
            if start - left > context:
                left, before = start - context, "..."
            if right - end > context:
                right, after = end + context, "..."
        return (
            before
            + text[left:start]
            + marker[0]
            + text[start:end]
            + marker[1]
            + text[end:right]
            + after
        )


# ---- reading ------------------------------------------------------------------------------------


def _read_lines(path: str) -> List[Tuple[int, str]]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return [(number, line.rstrip("\r\n")) for number, line in enumerate(handle, start=1)]
    except FileNotFoundError:
        raise AnalysisError(f"input file not found: {path}")
    except UnicodeDecodeError as error:
        raise AnalysisError(f"{path} is not UTF-8 text: {error}")


def looks_whitespace_tokenized(lines: Iterable[str], sample: int = 500) -> bool:
    """Whether commas and parentheses stand apart as tokens more often than they are attached."""
    apart = attached = 0
    for count, line in enumerate(lines):
        if count >= sample:
            break
        for token in line.split():
            if token in {",", "(", ")", ";"}:
                apart += 1
            elif token[-1] in ",;)" or token[0] == "(":
                attached += 1
    return apart > 0 and apart > 2 * attached


def _token_spans(text: str, start: int, end: int) -> Tuple[List[str], List[Span]]:
    matches = list(re.finditer(r"\S+", text[start:end]))
    return [m.group() for m in matches], [(start + m.start(), start + m.end()) for m in matches]


def _split_and_tokenize(
    text: str, regions: Sequence[Span], cuts: Sequence[int] = ()
) -> List[Sentence]:
    splitter, tokenizer = BioSentenceSplitter(), BioRegexTokenizer()
    sentences = []
    for region_start, region_end in regions:
        for start, end in splitter.split_offsets(text[region_start:region_end]):
            start, end = region_start + start, region_start + end
            tokens = tokenizer.tokenize_span(text, start, end, split_at=cuts)
            if tokens:
                sentences.append(
                    Sentence(
                        start,
                        end,
                        [token.text for token in tokens],
                        [(token.idx, token.idx_end) for token in tokens],
                    )
                )
    return sentences


def _plain_documents(path: str, tokenized: bool) -> List[CollectionDocument]:
    documents = []
    for number, line in _read_lines(path):
        if not line.strip():
            continue
        if tokenized:
            tokens, spans = _token_spans(line, 0, len(line))
            sentences = [Sentence(spans[0][0], spans[-1][1], tokens, spans)]
        else:
            sentences = _split_and_tokenize(line, [(0, len(line))])
        documents.append(CollectionDocument(f"line {number}", line, sentences))
    return documents


def _annotated_documents(path: str, format: str) -> List[CollectionDocument]:
    documents = []
    try:
        for document in read_documents(path, format):
            regions = [(p.offset, p.end) for p in document.passages] or [(0, len(document.text))]
            cuts = sorted(
                {offset for m in document.mentions for span in m.spans for offset in span}
            )
            sentences = _split_and_tokenize(document.text, regions, cuts)
            documents.append(
                CollectionDocument(document.id, document.text, sentences, document.mentions)
            )
    except (DocumentFormatError, ValueError) as error:
        raise AnalysisError(f"cannot read {path} as {format}: {error}")
    return documents


def detect_input_format(path: str) -> str:
    """One of `INPUT_FORMATS`, from the content of `path` (see the module docstring)."""
    if not os.path.exists(path):
        raise AnalysisError(f"input file not found: {path}")
    try:
        return detect_format(path)
    except DocumentFormatError:
        pass
    if os.path.isdir(path):
        raise AnalysisError(f"cannot tell the format of the directory {path}; pass --input-format")
    lines = (line for _, line in _read_lines(path) if line.strip())
    return "sentences" if looks_whitespace_tokenized(lines) else "text"


def read_collection(path: str, input_format: Optional[str] = None) -> Collection:
    """The documents at `path`, split into sentences and tokens (format detected when None)."""
    format = input_format or detect_input_format(path)
    if format not in INPUT_FORMATS:
        raise AnalysisError(
            f"unknown input format {format!r}: expected one of {', '.join(INPUT_FORMATS)}"
        )
    if format in PLAIN_FORMATS:
        documents = _plain_documents(path, tokenized=format == "sentences")
    else:
        documents = _annotated_documents(path, format)
    if not documents:
        raise AnalysisError(f"{path} holds no documents (read as {format})")
    return Collection(path, format, documents)


# ---- occurrences ----------------------------------------------------------------------------


def find_occurrences(
    collection: Collection, terms: Sequence[str], documents: Optional[Iterable[int]] = None
) -> List[Occurrence]:
    """Every occurrence of the `terms` (whole tokens, case-sensitive), in reading order, in all
    documents or those whose indices `documents` lists."""
    by_first: Dict[str, List[Tuple[str, List[str]]]] = defaultdict(list)
    for term in terms:
        tokens = collection.term_tokens(term)
        if not tokens:
            raise AnalysisError(f"the term {term!r} has no tokens")
        by_first[tokens[0]].append((term, tokens))
    indices = range(len(collection.documents)) if documents is None else documents
    found = []
    for d in indices:
        for s, sentence in enumerate(collection.documents[d].sentences):
            tokens = sentence.tokens
            for i, token in enumerate(tokens):
                for term, term_tokens in by_first.get(token, ()):
                    if tokens[i : i + len(term_tokens)] == term_tokens:
                        found.append(Occurrence(d, s, i, i + len(term_tokens), term))
    return found


def sample_occurrences(
    occurrences: List[Occurrence], max_occurrences: int, seed: int
) -> List[Occurrence]:
    """At most `max_occurrences` of them, drawn with `random.Random(seed)`, in reading order."""
    if len(occurrences) <= max_occurrences:
        return occurrences
    chosen = sorted(random.Random(seed).sample(range(len(occurrences)), max_occurrences))
    return [occurrences[index] for index in chosen]


# ---- labels ------------------------------------------------------------------------------------


def _mention_label(mention: Mention, kind: str) -> Optional[str]:
    if kind == "gold":
        return mention.type or None
    identifiers = [i for i in mention.identifiers if i and i != "-1"]
    return "|".join(identifiers) or None


def gold_labels(
    collection: Collection, occurrences: Sequence[Occurrence], kind: str = "gold"
) -> List[Optional[str]]:
    """
    The type (`kind` "gold") or identifiers ("gold-identifier") of the annotated mention at each
    occurrence: a mention with exactly its span first, else the smallest mention covering it,
    else the first mention overlapping it; None where no mention touches it.
    """
    labels = []
    for occurrence in occurrences:
        start, end = occurrence.char_span(collection)
        best, best_rank = None, None
        for mention in collection.documents[occurrence.document].mentions:
            if not any(s < end and start < e for s, e in mention.spans):
                continue
            if mention.start == start and mention.end == end:
                rank: Tuple = (0, 0)
            elif mention.start <= start and end <= mention.end:
                rank = (1, mention.end - mention.start)
            else:
                rank = (2, 0)
            if best_rank is None or rank < best_rank:
                best, best_rank = mention, rank
        labels.append(_mention_label(best, kind) if best is not None else None)
    return labels


def document_definitions(collection: Collection, document: int) -> List[Tuple[int, str, str]]:
    """(character offset, short form, normalized long form) of every abbreviation definition in a
    document, sentence by sentence (a definition never crosses sentences)."""
    found = []
    doc = collection.documents[document]
    for sentence in doc.sentences:
        for definition in find_abbreviations(doc.text[sentence.start : sentence.end]):
            found.append(
                (
                    sentence.start + definition.short_span[0],
                    definition.short_form,
                    definition.normalized_long_form,
                )
            )
    return found


def abbreviation_labels(
    collection: Collection, occurrences: Sequence[Occurrence]
) -> List[Optional[str]]:
    """The long form defining each occurrence's term in its document (see the module docstring)."""
    definitions: Dict[int, Dict[str, List[Tuple[int, str]]]] = {}
    labels = []
    for occurrence in occurrences:
        if occurrence.document not in definitions:
            by_key: Dict[str, List[Tuple[int, str]]] = defaultdict(list)
            for offset, short_form, long_form in document_definitions(
                collection, occurrence.document
            ):
                by_key[short_form_key(short_form)].append((offset, long_form))
            definitions[occurrence.document] = by_key
        found = definitions[occurrence.document].get(short_form_key(occurrence.term))
        if not found:
            labels.append(None)
            continue
        start, _ = occurrence.char_span(collection)
        before = [long_form for offset, long_form in found if offset <= start]
        labels.append(before[-1] if before else found[0][1])
    return labels


@dataclass
class LabelFileReport:
    entries: int = 0
    matched: int = 0
    unmatched_lines: List[int] = field(default_factory=list)
    conflicts: int = 0


def _label_entry(path: str, number: int, line: str) -> dict:
    where = f"{path}, line {number}"
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as error:
        raise AnalysisError(f"{where}: not JSON ({error})")
    if not isinstance(entry, dict):
        raise AnalysisError(f"{where}: expected a JSON object")
    has_tokens, has_text = "tokens" in entry, "text" in entry
    if has_tokens == has_text:
        raise AnalysisError(f'{where}: give "tokens" (a list of strings) or "text", not both')
    if has_tokens and not (
        isinstance(entry["tokens"], list) and all(isinstance(t, str) for t in entry["tokens"])
    ):
        raise AnalysisError(f'{where}: "tokens" must be a list of strings')
    if has_text and not isinstance(entry["text"], str):
        raise AnalysisError(f'{where}: "text" must be a string')
    for key in ("start", "end"):
        if not isinstance(entry.get(key), int) or isinstance(entry.get(key), bool):
            raise AnalysisError(f'{where}: "{key}" must be an integer')
    if not entry["start"] < entry["end"]:
        raise AnalysisError(f'{where}: "start" must be below "end"')
    if "label" not in entry or isinstance(entry["label"], (dict, list, bool)):
        raise AnalysisError(f'{where}: "label" must be a string, a number or null (no label)')
    return entry


def file_labels(
    collection: Collection, occurrences: Sequence[Occurrence], path: str
) -> Tuple[List[Optional[str]], LabelFileReport]:
    """Labels from a JSON-lines file (see the module docstring): every occurrence an entry names
    gets its label; entries naming no occurrence of the term are reported."""
    by_tokens: Dict[Tuple[str, ...], List[Tuple[int, int]]] = defaultdict(list)
    by_text: Dict[str, List[Tuple[int, int]]] = defaultdict(list)
    for d, document in enumerate(collection.documents):
        by_text[document.text].append((d, 0))
        for s, sentence in enumerate(document.sentences):
            by_tokens[tuple(sentence.tokens)].append((d, s))
            by_text[document.text[sentence.start : sentence.end]].append((d, sentence.start))
    index_by_tokens = {
        (o.document, o.sentence, o.start, o.end): i for i, o in enumerate(occurrences)
    }
    index_by_chars = {(o.document,) + o.char_span(collection): i for i, o in enumerate(occurrences)}
    labels: List[Optional[str]] = [None] * len(occurrences)
    report = LabelFileReport()
    for number, line in _read_lines(path):
        if not line.strip():
            continue
        entry = _label_entry(path, number, line)
        if entry["label"] is None:  # e.g. an unlabelled line of an occurrences.jsonl
            continue
        report.entries += 1
        label = str(entry["label"])
        if "tokens" in entry:
            keys = [
                (d, s, entry["start"], entry["end"]) for d, s in by_tokens[tuple(entry["tokens"])]
            ]
            hits = [index_by_tokens[key] for key in keys if key in index_by_tokens]
        else:
            keys = [
                (d, base + entry["start"], base + entry["end"])
                for d, base in by_text[entry["text"]]
            ]
            hits = [index_by_chars[key] for key in keys if key in index_by_chars]
        if not hits:
            report.unmatched_lines.append(number)
            continue
        report.matched += 1
        for index in set(hits):
            if labels[index] is not None and labels[index] != label:
                report.conflicts += 1
            labels[index] = label
    return labels, report


def label_counts(labels: Iterable[Optional[str]]) -> Counter:
    return Counter(label for label in labels if label is not None)


def unlabelled(labels: Iterable[Optional[str]]) -> int:
    return sum(1 for label in labels if label is None)


def distinct_terms(occurrences: Iterable[Occurrence]) -> Set[str]:
    return {occurrence.term for occurrence in occurrences}
