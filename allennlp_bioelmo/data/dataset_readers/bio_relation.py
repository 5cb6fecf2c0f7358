"""
The `bio_relation` reader: relation classification between two entities of a sentence, from the
BLUE / BioBERT tsv releases, SciBERT's jsonl, span jsonl or DyGIE++ documents, e.g.

```
index<TAB>sentence<TAB>label
1<TAB>@CHEMICAL$ is a potent inhibitor of @GENE$ activity in vitro.<TAB>cpr:4
{"text": "<< Aspirin >> inhibits [[ COX-1 ]] .", "label": "INHIBITOR"}
```
"""

import json
import logging
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
    LabelPresence,
    ReadReport,
    default_token_indexers,
    describe,
    is_first_reader,
    optional_label,
    read_json_lines,
    read_lines,
    require_integer,
    require_key,
    require_string,
    require_tokens,
)
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer

FORMATS = ("auto", "tsv", "marked_jsonl", "span_jsonl", "dygie")
ENTITY_REPRESENTATIONS = ("as_is", "typed_markers", "mask")
# BLUE / BioBERT entity masks: @GENE$, @DISEASE$, @CHEMICAL$, @DRUG$, @CHEM-GENE$ ...
MASK_PATTERN = re.compile(r"@[A-Z][A-Z_-]*\$")
# what looks like a mask but lacks its "$" (e.g. "@CHEMICAL inhibits"), for error messages
MASK_WITHOUT_DOLLAR = re.compile(r"@[A-Z][A-Z_-]*(?![A-Z_-]|\$)")
# SciBERT's markers: "<< head >>" and "[[ tail ]]", each with a space on its inner side.
MARKED_HEAD = re.compile(r"<< (.+?) >>")
MARKED_TAIL = re.compile(r"\[\[ (.+?) \]\]")

logger = logging.getLogger(__name__)

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
      The head is the first mask, the tail the second; a sentence has two masks, or one combined
      mask for two overlapping entities (a name with a hyphen, `@CHEM-GENE$`: head = tail); the
      mask names give the entity types; an empty label is an error;
    * `"marked_jsonl"`: SciBERT's jsonl, `{"text", "label"}` with the head as `<< ... >>` and the
      tail as `[[ ... ]]`;
    * `"span_jsonl"`: `{"text": ..., "head": {"start", "end", "type"?}, "tail": {...}, "label"}`
      with character offsets (end exclusive), or `{"tokens": [...], "head": ..., ...}` with token
      offsets (end exclusive);
    * `"dygie"`: DyGIE++ documents (`sentences`, `ner`, `relations`, token offsets over the whole
      document, ends inclusive): one instance per ordered pair of distinct entities of a sentence,
      labelled with the annotated relation or `negative_label`; relations whose spans are not two
      entities of their sentence are counted in a warning.

    In the jsonl formats, a record without `label` is unlabelled, but a file must be all labelled
    or all unlabelled and a `null` label is an error; values of the wrong JSON type (`"text": 12`,
    `"tokens": "a string"`, offsets as strings) are errors naming the file, the line and the key.
    A UTF-8 byte-order mark and CRLF are accepted. Text is tokenized by `bio_regex`, with entity
    boundaries forced to be token boundaries; an entity that covers no token is an error.
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
            try:
                instance = self.text_to_instance(*example)
            except ConfigurationError as error:  # e.g. overlapping entities with markers
                raise DataFormatError(file_path, example[6].get("line", 0), str(error))
            yield instance

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
        report = ReadReport(file_path)
        yield from parse(file_path, _chain(first, lines), report)
        if is_first_reader(self):
            report.log(logger)

    def _tsv(self, file_path: str, lines, report: ReadReport) -> Iterator[Example]:
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
            if label is not None and not label.strip():
                raise DataFormatError(
                    file_path, line_number, "the label column is empty: expected a label"
                )
            try:
                yield self._masked_example(sentence, label, {"id": index, "line": line_number})
            except ValueError as error:
                raise DataFormatError(file_path, line_number, str(error))

    def _marked_jsonl(self, file_path: str, lines, report: ReadReport) -> Iterator[Example]:
        return self._json_examples(file_path, lines, self._marked_example)

    def _span_jsonl(self, file_path: str, lines, report: ReadReport) -> Iterator[Example]:
        return self._json_examples(file_path, lines, self._span_example)

    @staticmethod
    def _json_examples(file_path: str, lines, make_example) -> Iterator[Example]:
        """
        One example per JSON line; a record `make_example` rejects, or a file mixing labelled and
        unlabelled records, is reported with its line.
        """
        labels = LabelPresence(file_path)
        for line_number, record in read_json_lines(file_path, lines):
            try:
                example = make_example(record, {"line": line_number})
            except ValueError as error:
                raise DataFormatError(file_path, line_number, str(error))
            labels.check(line_number, example[5])
            yield example

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
            return self._masked_example(
                require_string(record, "sentence"), optional_label(record), {}
            )
        if "text" in record:
            return self._marked_example(record, {})
        raise ValueError(
            f"expected 'sentence', 'text' or 'head'/'tail' keys, found {sorted(record)}"
        )

    def _masked_example(
        self, sentence: str, label: Optional[str], metadata: Dict[str, Any]
    ) -> Example:
        masks = list(MASK_PATTERN.finditer(sentence))
        near_misses = [m.group() for m in MASK_WITHOUT_DOLLAR.finditer(sentence)]
        hint = (
            f" ({', '.join(map(repr, near_misses))} lacks its closing '$'?)" if near_misses else ""
        )
        if not masks:
            raise ValueError(f"no entity mask such as @GENE$ in the sentence{hint}")
        if len(masks) == 2:
            head, tail = masks
        elif len(masks) == 1 and "-" in masks[0].group():
            head = tail = masks[0]  # one mask for two overlapping entities: @CHEM-GENE$
        else:
            raise ValueError(
                "expected two entity masks such as @CHEMICAL$ and @GENE$ (or one combined mask "
                f"such as @CHEM-GENE$), found {len(masks)}: "
                f"{', '.join(m.group() for m in masks)}{hint}"
            )
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
        text = require_string(record, "text")
        label = optional_label(record)
        heads, tails = list(MARKED_HEAD.finditer(text)), list(MARKED_TAIL.finditer(text))
        if len(heads) != 1 or len(tails) != 1:
            raise ValueError(
                "expected one '<< head >>' and one '[[ tail ]]' in 'text', found "
                f"{len(heads)} and {len(tails)}"
            )
        head, tail = heads[0], tails[0]
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
            "".join(pieces), spans["head"], spans["tail"], None, None, label, metadata
        )

    def _span_example(self, record: Dict[str, Any], metadata: Dict[str, Any]) -> Example:
        head, tail = require_key(record, "head"), require_key(record, "tail")
        spans, types = [], []
        for name, entity in (("head", head), ("tail", tail)):
            if not isinstance(entity, dict):
                raise ValueError(
                    f"'{name}' needs integer 'start' and 'end', found {describe(entity)}"
                )
            for key in ("start", "end"):
                if isinstance(entity.get(key), bool) or not isinstance(entity.get(key), int):
                    raise ValueError(
                        f"'{name}' needs integer 'start' and 'end', found {entity!r} ('{key}' is "
                        f"{describe(entity.get(key)) if key in entity else 'missing'})"
                    )
            spans.append((entity["start"], entity["end"]))
            types.append(
                require_string(entity, "type", f"a string (the type of '{name}')")
                if "type" in entity
                else None
            )
        label = optional_label(record)
        if "id" in record:
            metadata = {**metadata, "id": record["id"]}
        if "tokens" in record:
            tokens = list(require_tokens(record["tokens"]))
            for (start, end), name in zip(spans, ("head", "tail")):
                if not 0 <= start < end <= len(tokens):
                    raise ValueError(
                        f"'{name}' token offsets {start}-{end} outside the {len(tokens)} tokens"
                    )
            return (tokens, spans[0], spans[1], types[0], types[1], label, metadata)
        text = require_string(record, "text")
        for (start, end), name in zip(spans, ("head", "tail")):
            if not 0 <= start < end <= len(text):
                raise ValueError(
                    f"'{name}' offsets {start}-{end} lie outside the text ({len(text)} characters)"
                )
        return self._from_text(text, spans[0], spans[1], types[0], types[1], label, metadata)

    def _dygie(self, file_path: str, lines, report: ReadReport) -> Iterator[Example]:
        for line_number, record in read_json_lines(file_path, lines):
            try:
                yield from self._dygie_document(record, line_number, report)
            except ValueError as error:
                raise DataFormatError(file_path, line_number, str(error))

    def _dygie_document(
        self, record: Dict[str, Any], line_number: int, report: ReadReport
    ) -> Iterator[Example]:
        sentences = require_key(record, "sentences")
        if not isinstance(sentences, list):
            raise ValueError(
                f"'sentences' must be a list of token lists, found {describe(sentences)}"
            )
        for number, tokens in enumerate(sentences):
            require_tokens(tokens, f"sentences[{number}]")
        ner = record.get("ner") or [[] for _ in sentences]
        relations = record.get("relations") or [[] for _ in sentences]
        if not (isinstance(ner, list) and isinstance(relations, list)) or not (
            len(sentences) == len(ner) == len(relations)
        ):
            raise ValueError("'sentences', 'ner' and 'relations' differ in length")
        offset = 0
        for number, (tokens, entities, sentence_relations) in enumerate(
            zip(sentences, ner, relations)
        ):
            if not isinstance(entities, list) or not isinstance(sentence_relations, list):
                raise ValueError(f"'ner' and 'relations' of sentence {number} must be lists")
            entities = [_dygie_entity(entity, number, offset, len(tokens)) for entity in entities]
            spans = {(start, end) for start, end, _ in entities}
            labels: Dict[Tuple[int, int, int, int], str] = {}
            for relation in sentence_relations:
                key, label = _dygie_relation(relation)
                if labels.get(key, label) != label:
                    raise ValueError(
                        f"relation {relation!r} of sentence {number} gives the pair a second "
                        f"label (it has {labels[key]!r})"
                    )
                if key[:2] not in spans or key[2:] not in spans or key[:2] == key[2:]:
                    report.count(
                        "relations dropped",
                        "their head or tail span is not an entity of their sentence's 'ner' list "
                        "(or both are the same), so no pair carries their label",
                        kind=label,
                        example=f"line {line_number} sentence {number} {relation!r}",
                    )
                    continue
                labels[key] = label
            for head in entities:
                for tail in entities:
                    if head is tail:
                        continue
                    label = labels.get((head[0], head[1], tail[0], tail[1]), self._negative_label)
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
        for name, (start, end) in (("head", head), ("tail", tail)):
            covered = [i for i, t in enumerate(tokens) if start <= t.idx and t.idx_end <= end]
            cut = [
                t.text
                for t in tokens
                if t.idx < end and t.idx_end > start and not (start <= t.idx and t.idx_end <= end)
            ]
            if cut:
                raise ValueError(
                    f"'{name}' (characters {start}-{end}, {text[start:end]!r}) cuts through the "
                    f"entity mask {cut[0]!r}"
                )
            if not covered:
                raise ValueError(
                    f"'{name}' (characters {start}-{end}, {text[start:end]!r}) covers no token: "
                    "expected an entity with some text"
                )
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


def _dygie_entity(entity, number: int, offset: int, length: int) -> Tuple[int, int, str]:
    """A DyGIE++ entity `[start, end, type]` (document token offsets, end inclusive), checked."""
    if (
        not isinstance(entity, list)
        or len(entity) != 3
        or any(isinstance(x, bool) or not isinstance(x, int) for x in entity[:2])
        or not isinstance(entity[2], str)
        or not entity[2].strip()
    ):
        raise ValueError(
            f"entity {entity!r} of sentence {number} is not [start, end, type] with integer "
            "offsets and a non-empty type"
        )
    if not offset <= entity[0] <= entity[1] < offset + length:
        raise ValueError(
            f"entity {entity!r} of sentence {number} is not within its tokens "
            f"{offset}-{offset + length - 1}"
        )
    return entity[0], entity[1], entity[2]


def _dygie_relation(relation) -> Tuple[Tuple[int, int, int, int], str]:
    """A DyGIE++ relation `[start, end, start, end, label]`, checked."""
    try:
        if not isinstance(relation, list) or len(relation) != 5:
            raise ValueError
        key = tuple(require_integer(x, "an offset") for x in relation[:4])
        if not isinstance(relation[4], str) or not relation[4].strip():
            raise ValueError
    except ValueError:
        raise ValueError(
            f"relation {relation!r} is not [start, end, start, end, label] with integer offsets "
            "and a non-empty label"
        )
    return key, relation[4]  # type: ignore
