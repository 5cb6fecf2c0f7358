import json
import re
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from allennlp.common.checks import ConfigurationError
from allennlp.data.dataset_readers.dataset_reader import DatasetReader
from allennlp.data.fields import LabelField, MetadataField, SpanField, TextField
from allennlp.data.instance import Instance
from allennlp.data.token_indexers import TokenIndexer
from allennlp.data.tokenizers import Token

from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    DataFormatError,
    default_token_indexers,
    read_json_lines,
    read_lines,
)
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer

FORMATS = ("auto", "tsv", "marked_jsonl", "span_jsonl", "dygie")
ENTITY_REPRESENTATIONS = ("as_is", "typed_markers", "mask")
# BLUE / BioBERT entity masks: @GENE$, @DISEASE$, @CHEMICAL$, @DRUG$, @CHEM-GENE$ ...
MASK_PATTERN = re.compile(r"@[A-Z][A-Z_-]*\$")
# SciBERT's markers: "<< head >>" and "[[ tail ]]", each with a space on its inner side.
MARKED_HEAD = re.compile(r"<< (.+?) >>")
MARKED_TAIL = re.compile(r"\[\[ (.+?) \]\]")

# One normalised example: tokens, head and tail token spans (end exclusive), their types, label.
Example = Tuple[
    List[str],
    Tuple[int, int],
    Tuple[int, int],
    Optional[str],
    Optional[str],
    Optional[str],
    Dict[str, Any],
]


@DatasetReader.register("bio_relation")
class BioRelationDatasetReader(DatasetReader):
    """
    Relation classification between two entities of a sentence (ChemProt, DDI, GAD, EU-ADR, ...),
    from any of these releases (`format`, default detected from the file):

    * `"tsv"`: the BLUE / BioBERT tsv files whose entities are masked (`@CHEMICAL$`, `@GENE$`,
      `@DRUG$`, `@DISEASE$`, ...): with a header `index<TAB>sentence<TAB>label` (BLUE; BioBERT
      test files with labels), `index<TAB>sentence` (BioBERT test files, labels kept apart: the
      instances have no label), or no header and `sentence<TAB>label` lines (BioBERT train/dev).
      The head is the first mask, the tail the second (both the same if there is one mask);
      the mask names give the entity types;
    * `"marked_jsonl"`: SciBERT's jsonl, `{"text", "label"}` with the head as `<< ... >>` and the
      tail as `[[ ... ]]`;
    * `"span_jsonl"`: `{"text": ..., "head": {"start", "end", "type"?}, "tail": {...}, "label"}`
      with character offsets (end exclusive), or `{"tokens": [...], "head": ..., ...}` with token
      offsets (end exclusive);
    * `"dygie"`: DyGIE++ documents (`sentences`, `ner`, `relations`, token offsets over the whole
      document, ends inclusive): one instance per ordered pair of distinct entities of a sentence,
      labelled with the annotated relation or `negative_label`.

    Text is tokenized by `bio_regex`, with entity boundaries forced to be token boundaries.
    Instances: `tokens`, `head` and `tail` (`SpanField`s, inclusive, over `tokens`), `label`
    (when known) and `metadata`.

    Registered as a `DatasetReader` with name "bio_relation".

    # Parameters

    token_indexers : `Dict[str, TokenIndexer]`, optional (default = `{"elmo": bioelmo_characters}`)
    format : `str`, optional (default = `"auto"`)
    entity_representation : `str`, optional (default = `"as_is"`)
        `"as_is"`: entity tokens unchanged; `"typed_markers"`: marker tokens `<head:TYPE>` ...
        `</head:TYPE>` (and `tail`) around each entity (included in its span); `"mask"`: each
        entity replaced by one token `@TYPE$` (`@HEAD$`/`@TAIL$` when the type is unknown).
    negative_label : `str`, optional (default = `"NONE"`)
        Label of unrelated pairs in `"dygie"` documents.
    label_namespace : `str`, optional (default = `"labels"`)
    """

    def __init__(
        self,
        token_indexers: Optional[Dict[str, TokenIndexer]] = None,
        format: str = "auto",
        entity_representation: str = "as_is",
        negative_label: str = "NONE",
        label_namespace: str = "labels",
        **kwargs,
    ) -> None:
        super().__init__(
            manual_distributed_sharding=True, manual_multiprocess_sharding=True, **kwargs
        )
        if format not in FORMATS:
            raise ConfigurationError(f"format must be one of {FORMATS}, got {format!r}")
        if entity_representation not in ENTITY_REPRESENTATIONS:
            raise ConfigurationError(
                f"entity_representation must be one of {ENTITY_REPRESENTATIONS}, got "
                f"{entity_representation!r}"
            )
        self._token_indexers = token_indexers or default_token_indexers()
        self._format = format
        self._representation = entity_representation
        self._negative_label = negative_label
        self._label_namespace = label_namespace
        self._tokenizer = BioRegexTokenizer()

    # ---- reading ------------------------------------------------------------------------------

    def _read(self, file_path: str) -> Iterable[Instance]:
        for example in self.shard_iterable(self._examples(file_path)):
            yield self.text_to_instance(*example)

    def _examples(self, file_path: str) -> Iterator[Example]:
        lines = read_lines(file_path)
        first = next(lines, None)
        if first is None:
            raise DataFormatError(file_path, 0, "the file is empty")
        file_format = self._format if self._format != "auto" else _detect_format(first[1])
        parse = {
            "tsv": self._tsv,
            "marked_jsonl": self._marked_jsonl,
            "span_jsonl": self._span_jsonl,
            "dygie": self._dygie,
        }[file_format]
        yield from parse(file_path, _chain(first, lines))

    def _tsv(self, file_path: str, lines) -> Iterator[Example]:
        header: Optional[List[str]] = None
        for line_number, line in lines:
            if not line.strip():
                continue
            columns = line.split("\t")
            if header is None and line_number == 1 and columns[0] == "index":
                header = columns
                if columns[1:] not in (["sentence"], ["sentence", "label"]):
                    raise DataFormatError(
                        file_path, 1, f"unknown header {columns}; expected index, sentence[, label]"
                    )
                continue
            expected = len(header) if header else 2
            if len(columns) != expected:
                raise DataFormatError(
                    file_path,
                    line_number,
                    f"expected {expected} tab-separated columns "
                    f"({', '.join(header or ['sentence', 'label'])}), "
                    f"found {len(columns)}",
                )
            if header:
                index, sentence = columns[0], columns[1]
                label = columns[2] if len(columns) == 3 else None
            else:
                index, (sentence, label) = str(line_number), columns
            try:
                yield self._masked_example(sentence, label, {"id": index, "line": line_number})
            except ValueError as error:
                raise DataFormatError(file_path, line_number, str(error))

    def _marked_jsonl(self, file_path: str, lines) -> Iterator[Example]:
        return self._json_examples(file_path, lines, self._marked_example)

    def _span_jsonl(self, file_path: str, lines) -> Iterator[Example]:
        return self._json_examples(file_path, lines, self._span_example)

    @staticmethod
    def _json_examples(file_path: str, lines, make_example) -> Iterator[Example]:
        """One example per JSON line; a record `make_example` rejects is reported with its line."""
        for line_number, record in read_json_lines(file_path, lines):
            try:
                yield make_example(record, {"line": line_number})
            except ValueError as error:
                raise DataFormatError(file_path, line_number, str(error))

    # ---- one record of each kind (also used by the `bio_relation` predictor) -------------------

    def example_from_json(self, record: Dict[str, Any]) -> Example:
        """
        One example from a JSON object in any of the single-sentence forms: `{"sentence": ...}`
        with entity masks (tsv form), `{"text": ...}` with `<< >>`/`[[ ]]` markers, or
        `{"text"|"tokens", "head", "tail"}` with offsets.
        """
        if "head" in record or "tail" in record:
            return self._span_example(record, {})
        if "sentence" in record:
            return self._masked_example(record["sentence"], record.get("label"), {})
        if "text" in record:
            return self._marked_example(record, {})
        raise ValueError(
            f"expected 'sentence', 'text' or 'head'/'tail' keys, found {sorted(record)}"
        )

    def _masked_example(
        self, sentence: str, label: Optional[str], metadata: Dict[str, Any]
    ) -> Example:
        masks = list(MASK_PATTERN.finditer(sentence))
        if not masks:
            raise ValueError("no entity mask such as @GENE$ in the sentence")
        head, tail = masks[0], masks[1] if len(masks) > 1 else masks[0]
        return self._from_text(
            sentence,
            (head.start(), head.end()),
            (tail.start(), tail.end()),
            head.group()[1:-1],
            tail.group()[1:-1],
            label,
            metadata,
        )

    def _marked_example(self, record: Dict[str, Any], metadata: Dict[str, Any]) -> Example:
        text = _require(record, "text")
        head, tail = MARKED_HEAD.search(text), MARKED_TAIL.search(text)
        if head is None or tail is None:
            raise ValueError("expected one '<< head >>' and one '[[ tail ]]' in 'text'")
        # remove the markers, keeping track of where the entities end up
        pieces, spans, position = [], {}, 0
        for name, match in sorted(
            (("head", head), ("tail", tail)), key=lambda item: item[1].start()
        ):
            if match.start() < position:
                raise ValueError("the '<< >>' and '[[ ]]' markers overlap")
            pieces.append(text[position : match.start()])
            start = sum(len(p) for p in pieces)
            pieces.append(match.group(1))
            spans[name] = (start, start + len(match.group(1)))
            position = match.end()
        pieces.append(text[position:])
        if record.get("metadata"):
            metadata = {**metadata, "metadata": record["metadata"]}
        return self._from_text(
            "".join(pieces), spans["head"], spans["tail"], None, None, record.get("label"), metadata
        )

    def _span_example(self, record: Dict[str, Any], metadata: Dict[str, Any]) -> Example:
        head, tail = _require(record, "head"), _require(record, "tail")
        spans = []
        for name, entity in (("head", head), ("tail", tail)):
            try:
                spans.append((int(entity["start"]), int(entity["end"])))
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"'{name}' needs integer 'start' and 'end', found {entity!r}")
        if "id" in record:
            metadata = {**metadata, "id": record["id"]}
        if "tokens" in record:
            tokens = list(record["tokens"])
            for (start, end), name in zip(spans, ("head", "tail")):
                if not 0 <= start < end <= len(tokens):
                    raise ValueError(
                        f"'{name}' token offsets {start}-{end} outside the {len(tokens)} tokens"
                    )
            return (
                tokens,
                spans[0],
                spans[1],
                head.get("type"),
                tail.get("type"),
                record.get("label"),
                metadata,
            )
        text = _require(record, "text")
        for (start, end), name in zip(spans, ("head", "tail")):
            if not 0 <= start < end <= len(text):
                raise ValueError(
                    f"'{name}' offsets {start}-{end} lie outside the text ({len(text)} characters)"
                )
        return self._from_text(
            text,
            spans[0],
            spans[1],
            head.get("type"),
            tail.get("type"),
            record.get("label"),
            metadata,
        )

    def _dygie(self, file_path: str, lines) -> Iterator[Example]:
        for line_number, record in read_json_lines(file_path, lines):
            try:
                sentences = _require(record, "sentences")
            except ValueError as error:
                raise DataFormatError(file_path, line_number, str(error))
            ner = record.get("ner") or [[] for _ in sentences]
            relations = record.get("relations") or [[] for _ in sentences]
            if not len(sentences) == len(ner) == len(relations):
                raise DataFormatError(
                    file_path, line_number, "'sentences', 'ner' and 'relations' differ in length"
                )
            offset = 0
            for number, (tokens, entities, sentence_relations) in enumerate(
                zip(sentences, ner, relations)
            ):
                labels = {}
                for relation in sentence_relations:
                    try:
                        s1, e1, s2, e2, label = relation
                        labels[(int(s1), int(e1), int(s2), int(e2))] = label
                    except (TypeError, ValueError):
                        raise DataFormatError(
                            file_path,
                            line_number,
                            f"relation {relation!r} is not [start, end, start, end, label]",
                        )
                for entity in entities:
                    if not (isinstance(entity, list) and len(entity) == 3) or not offset <= entity[
                        0
                    ] <= entity[1] < offset + len(tokens):
                        raise DataFormatError(
                            file_path,
                            line_number,
                            f"entity {entity!r} of sentence {number} is not [start, end, type] "
                            "within its tokens "
                            f"{offset}-{offset + len(tokens) - 1}",
                        )
                for head in entities:
                    for tail in entities:
                        if head is tail:
                            continue
                        label = labels.get(
                            (head[0], head[1], tail[0], tail[1]), self._negative_label
                        )
                        yield (
                            list(tokens),
                            (head[0] - offset, head[1] - offset + 1),
                            (tail[0] - offset, tail[1] - offset + 1),
                            head[2],
                            tail[2],
                            label,
                            {
                                "doc_key": record.get("doc_key"),
                                "sentence": number,
                                "line": line_number,
                            },
                        )
                offset += len(tokens)

    # ---- building instances -------------------------------------------------------------------

    def _from_text(self, text, head, tail, head_type, tail_type, label, metadata) -> Example:
        # entity masks (@GENE$) stay single tokens; the text between them is tokenized as usual
        tokens, position = [], 0
        for mask in list(MASK_PATTERN.finditer(text)) + [None]:
            end = mask.start() if mask else len(text)
            tokens.extend(
                self._tokenizer.tokenize_span(text, position, end, split_at=[*head, *tail])
            )
            if mask:
                tokens.append(Token(mask.group(), idx=mask.start(), idx_end=mask.end()))
                position = mask.end()
        token_spans = []
        for start, end in (head, tail):
            covered = [i for i, t in enumerate(tokens) if start <= t.idx and t.idx_end <= end]
            token_spans.append((covered[0], covered[-1] + 1))
        return (
            [t.text for t in tokens],
            token_spans[0],
            token_spans[1],
            head_type,
            tail_type,
            label,
            {"text": text, "offsets": [(t.idx, t.idx_end) for t in tokens], **metadata},
        )

    def text_to_instance(  # type: ignore
        self,
        tokens: List[str],
        head: Tuple[int, int],
        tail: Tuple[int, int],
        head_type: Optional[str] = None,
        tail_type: Optional[str] = None,
        label: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
    ) -> Instance:
        """`head`/`tail`: token spans, end exclusive."""
        words, head_span, tail_span = self._represent(tokens, head, tail, head_type, tail_type)
        text_field = TextField([Token(w) for w in words])
        fields = {
            "tokens": text_field,
            "head": SpanField(head_span[0], head_span[1] - 1, text_field),
            "tail": SpanField(tail_span[0], tail_span[1] - 1, text_field),
            "metadata": MetadataField(
                {
                    "words": words,
                    "head_type": head_type,
                    "tail_type": tail_type,
                    "source_tokens": list(tokens),
                    **(metadata or {}),
                }
            ),
        }
        if label is not None:
            fields["label"] = LabelField(str(label), label_namespace=self._label_namespace)
        return Instance(fields)

    def _represent(self, tokens, head, tail, head_type, tail_type):
        if self._representation == "as_is":
            return list(tokens), head, tail
        entities = sorted(
            [("head", head, head_type), ("tail", tail, tail_type)], key=lambda entity: entity[1][0]
        )
        if head == tail:
            entities = entities[:1]
        elif entities[0][1][1] > entities[1][1][0]:
            raise ConfigurationError(
                f"entities {head} and {tail} overlap: cannot place markers or masks"
            )
        words: List[str] = []
        spans: Dict[str, Tuple[int, int]] = {}
        position = 0
        for role, (start, end), entity_type in entities:
            words.extend(tokens[position:start])
            begin = len(words)
            if self._representation == "mask":
                words.append(f"@{entity_type or role.upper()}$")
            else:
                tag = f"{role}:{entity_type}" if entity_type else role
                words.extend([f"<{tag}>", *tokens[start:end], f"</{tag}>"])
            spans[role] = (begin, len(words))
            position = end
        words.extend(tokens[position:])
        return words, spans["head"], spans.get("tail", spans["head"])

    def apply_token_indexers(self, instance: Instance) -> None:
        instance["tokens"].token_indexers = self._token_indexers  # type: ignore


def _chain(first, rest):
    yield first
    yield from rest


def _detect_format(first_line: str) -> str:
    stripped = first_line.strip()
    if not stripped.startswith("{"):
        return "tsv"
    try:
        record = json.loads(stripped)
    except json.JSONDecodeError:
        return "tsv"
    if "sentences" in record:
        return "dygie"
    if "head" in record:
        return "span_jsonl"
    return "marked_jsonl"


def _require(record: dict, key: str):
    if key not in record:
        raise ValueError(f"missing key '{key}' (found {sorted(record)})")
    return record[key]
