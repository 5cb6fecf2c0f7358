"""
The `bio_document_relation` reader: relation-classification instances for `bio_relation_classifier`
made from whole annotated documents (BioC XML or JSON, PubTator, BRAT, DDI-2013 XML; see
`allennlp_bioelmo.documents`): every pair of mentions of the candidate types that share a sentence
is one instance, labelled from the document's relations, mention-level (DDI's pairs) or
concept-level (BC5CDR's chemical-induced-disease relations between MeSH ids).

Each instance says where it comes from (document id, mention ids, their identifiers) and what the
document's gold relations are, so that `document_relation_f1` can score relations per document,
counting the gold relations no instance can reach (their arguments never share a sentence) as
missed.
"""

import hashlib
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple, Union

from allennlp.common.checks import ConfigurationError
from allennlp.data.dataset_readers.dataset_reader import DatasetReader
from allennlp.data.instance import Instance
from allennlp.data.token_indexers import TokenIndexer

from allennlp_bioelmo.common.config_variables import warn_if_fixture_corpus
from allennlp_bioelmo.data.dataset_readers.bio_relation import BioRelationDatasetReader
from allennlp_bioelmo.data.dataset_readers.document_tagging import (
    passage_sentence_spans,
    tokenize_sentence,
)
from allennlp_bioelmo.data.dataset_readers.reader_statistics import ReaderStatistics
from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    DataFormatError,
    ReadReport,
    is_first_reader,
    shard_description,
)
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter
from allennlp_bioelmo.documents import CONCEPT, DDI_NEGATIVE, MENTION, Document
from allennlp_bioelmo.documents import Mention as DocumentMention
from allennlp_bioelmo.documents import Relation, read_documents
from allennlp_bioelmo.documents.formats import ALIASES as FORMAT_ALIASES
from allennlp_bioelmo.documents.formats import FORMATS as DOCUMENT_FORMATS

logger = logging.getLogger(__name__)

ANY = "any"
LEVELS = (MENTION, CONCEPT)
DISCONTINUOUS = ("covering", "first_span", "drop")
COMPOSITE_PARTS = ("skip", "keep")
SPLITS = ("train", "dev", "all")
# Identifier values that mean "no identifier" (BC5CDR's "-1").
NO_IDENTIFIER = frozenset({"", "-", "-1"})
# Relation types that say "these two do not interact" (DDI's ddi="false" pairs).
NEGATIVE_RELATION_TYPES = frozenset({DDI_NEGATIVE, "false"})
# BC5CDR's infon marking the parts of a composite mention ("Nausea" of "Nausea and vomiting").
COMPOSITE_ROLE = "CompositeRole"
INDIVIDUAL_MENTION = "IndividualMention"

# The arguments of a relation as the metric sees them: (head, tail) mention ids or concept
# identifiers, ordered head first for an ordered type pair, sorted otherwise.
Key = Tuple[str, str]

MENTION_REASONS = {
    "type": "not of a candidate type",
    "composite": "a part of a composite mention (CompositeRole IndividualMention), whose "
    "composite mention carries its identifiers (composite_parts='skip')",
    "identifier": "no concept identifier (none, or '-1'), so no concept-level relation can "
    "name it",
    "discontinuous": "discontinuous, dropped by discontinuous='drop'",
    "passage": "not inside one passage (it crosses a passage boundary or lies between passages)",
    "token": "covers no token (only whitespace)",
    "partner": "in no instance: no mention it pairs with in its sentence (or, with markers or "
    "masks, only overlapping ones)",
}


@dataclass
class _Located:
    """A mention usable as an argument: its one contiguous span (document offsets)."""

    mention: DocumentMention
    start: int
    end: int
    identifiers: List[str]

    @property
    def as_mention(self) -> DocumentMention:
        """The mention over its one span (what sentence splitting and tokenization respect)."""
        return DocumentMention(self.mention.id, [(self.start, self.end)], self.mention.type)


@dataclass
class _DocumentWork:
    """
    One document while its instances are made: its relation level, usable mentions, why the
    others were dropped (`MENTION_REASONS` keys), its positive gold relations with the argument
    keys each stands for, and what the instances made cover.
    """

    document: Document
    level: str
    usable: List[_Located]
    dropped: Dict[str, str]
    gold: List[Tuple[Relation, List[Key]]]
    produced: Set[Key] = field(default_factory=set)  # argument keys some instance stands for
    overlapping: Set[Key] = field(default_factory=set)  # keys of pairs skipped for overlapping
    placed: Set[str] = field(default_factory=set)  # ids of the mentions in some instance
    labels: Dict[Key, List[str]] = field(init=False)  # key -> relation types, document order

    def __post_init__(self) -> None:
        self.labels = {}
        self.first_relation: Dict[str, int] = {}  # relation type -> its first place in the gold
        for index, (relation, keys) in enumerate(self.gold):
            self.first_relation.setdefault(relation.type, index)
            for key in keys:
                if relation.type not in self.labels.setdefault(key, []):
                    self.labels[key].append(relation.type)
        self._gold_keys = sorted(
            [relation_type, *key] for key, types in self.labels.items() for relation_type in types
        )

    def gold_keys(self) -> List[List[str]]:
        """The document's gold relations, `[type, head, tail]`, sorted."""
        return self._gold_keys


@DatasetReader.register("bio_document_relation")
class BioDocumentRelationDatasetReader(BioRelationDatasetReader):
    """
    Relation instances from annotated documents, for `bio_relation_classifier`: the same fields
    as `bio_relation`'s (`tokens`; `head` and `tail` `SpanField`s, inclusive, over `tokens`;
    `label`; `metadata`), and the same `entity_representation`s.

    **Documents.** Any format `allennlp_bioelmo.documents.read_documents` reads (`format`, detected
    from the content when not given): BioC XML or JSON, PubTator, BRAT (a `.ann`, or a directory),
    DDI-2013 XML (a file, or a directory tree).

    **Candidates.** Every passage (title, abstract, section) is split into sentences (never across
    passages; a boundary inside a mention is removed, `document_tagging.sentence_spans`); a passage
    of type "sentence" (DDI's sentences) is one sentence as it is. Every two mentions of a sentence
    whose types form a pair of `candidate_types` make one candidate (unordered: a pair is made
    once): the head is the mention of the pair's first type (Chemical for
    `[["Chemical", "Disease"]]`); when both types are the same, or with `candidate_types="any"`,
    the head is the mention that comes first. Tokens are the `bio_regex` tokens of the sentence,
    every mention boundary forced to be a token boundary. A discontinuous mention is one span,
    `discontinuous`: from its first piece to its last (`"covering"`), its first piece, or dropped.

    **Labels.** From the document's relations, at one of two levels (`relation_level`, or per
    document: `"concept"` when its relations name concept identifiers, `"mention"` when they
    name mentions, and for a document without relations `"concept"` if its mentions carry
    identifiers):

    * mention level (DDI pairs): a candidate takes the type of the relation between its two
      mentions (either order); DDI's negative pairs (type "none") and pairs without a relation
      take `negative_label`;
    * concept level (BC5CDR CID, BioRED): a candidate takes the type of the relation between an
      identifier of its head and one of its tail (a composite mention has several identifiers:
      any of them), `negative_label` otherwise. A relation's direction comes from its roles where
      they name the candidate types (CID: roles Chemical and Disease), else from the types of
      the mentions carrying its identifiers. Mention-level relations in such a document count by
      their mentions' identifiers.

    Relations whose arguments are not of a candidate type pair, or whose type is not in
    `relation_types` (when given), are no target: they are ignored (and counted in the warning).
    Where a candidate matches relations of several types, the first in the document gives its
    label (counted).

    **Mentions without identifiers** at the concept level (BC5CDR's MeSH "-1") are skipped, not
    made negative candidates: no concept-level relation can name them, and a guess on them could
    not be scored by concept. They are counted (`statistics.mentions_dropped`), as is every
    mention that ends up in no instance, with its reason.

    **Unreachable gold relations.** A relation no instance stands for (its concepts or mentions
    never share a sentence, or one has no usable mention) caps recall: each is counted by label
    and reason in `statistics.relations_unreachable` and in the one WARNING logged per file.
    It still belongs to the document's gold relations, which every instance carries in its
    metadata, so the document-level F1 counts it as missed.

    **Metadata.** `document_id`; `head_mention`, `tail_mention` (mention ids);
    `head_identifiers`, `tail_identifiers`; `relation_level`; `relation_arguments` (the
    `[head, tail]` pairs the instance stands for: identifiers at the concept level, mention ids at
    the mention level; sorted where the pair is unordered); `gold_relations` (`{document id:
    [[type, head, tail], ...]}`, the document's whole gold set; a document without any instance
    hands its gold set on to the next instance, so no gold relation is lost); `negative_label`;
    `sentence` (its character span) and `offsets` (each token's), besides `bio_relation`'s
    `words`, `head_type`, `tail_type`, `source_tokens`.

    **Splits.** `split` selects documents by a stable hash of their id (SHA-256, the same on every
    machine and run): `"dev"` the documents whose hash falls below `dev_fraction`, `"train"` the
    others, `"all"` (or null) every document. A data path may carry its own split as a JSON
    object, `{"path": "...", "split": "dev"}`, which overrides the reader's: AllenNLP reads the
    test data with the validation reader, so splitting by path keeps a real test set whole.

    **Bad input.** Format errors (a relation naming a missing mention, ...) are the document
    modules' `DocumentFormatError`s, naming the file and the document. A configured type that no
    mention of the file has is a WARNING naming the types the file has; when no candidate pair
    can be formed at all, a `ConfigurationError`.

    `self.statistics` (`ReaderStatistics`) counts each pass over a file (`allennlp
    bioelmo-stats`).

    Registered as a `DatasetReader` with name "bio_document_relation".

    # Parameters

    token_indexers : `Dict[str, TokenIndexer]`, optional (default = `{"elmo": bioelmo_characters}`)
    format : `str`, optional (default = `None`)
        A document format (`bioc_xml`, `bioc_json`, `pubtator`, `brat`, `ddi_xml`); `None`:
        detected from the content.
    candidate_types : `Union[str, List[List[str]]]`, optional (default = `"any"`)
        The mention type pairs that make candidates, head type first, e.g. `[["Chemical",
        "Disease"]]`; `"any"`: every two mentions of a sentence, whatever their types.
    relation_types : `List[str]`, optional (default = `None`)
        Only relations of these types are targets (e.g. `["CID"]`); `None`: every type.
    negative_label : `str`, optional (default = `"NONE"`)
        The label of candidates without a relation (and of DDI's negative pairs).
    entity_representation : `str`, optional (default = `"as_is"`)
        As for `bio_relation`: `"as_is"`, `"typed_markers"` or `"mask"`. With markers or masks, a
        candidate whose mentions overlap (one nested in the other) cannot be shown and is skipped
        (counted).
    relation_level : `str`, optional (default = `None`)
        `"mention"` or `"concept"` for every document; `None`: decided per document (above).
    discontinuous : `str`, optional (default = `"covering"`)
        The span of a discontinuous mention: `"covering"`, `"first_span"`, or `"drop"` (not a
        candidate; counted).
    composite_parts : `str`, optional (default = `"skip"`)
        `"skip"`: BC5CDR's individual mentions of a composite mention (BioC release only) are no
        candidates, their composite mention stands for them, so the BioC and the PubTator
        releases give the same candidates; `"keep"`: they are candidates too.
    split : `str`, optional (default = `None`)
        `"train"`, `"dev"`, or `"all"`/`None` (every document); see Splits.
    dev_fraction : `float`, optional (default = `0.1`)
        The share of documents (by hash) in the `"dev"` split.
    label_namespace : `str`, optional (default = `"labels"`)
    """

    def __init__(
        self,
        token_indexers: Optional[Dict[str, TokenIndexer]] = None,
        format: Optional[str] = None,
        candidate_types: Union[str, List[List[str]]] = ANY,
        relation_types: Optional[List[str]] = None,
        negative_label: str = "NONE",
        entity_representation: str = "as_is",
        relation_level: Optional[str] = None,
        discontinuous: str = "covering",
        composite_parts: str = "skip",
        split: Optional[str] = None,
        dev_fraction: float = 0.1,
        label_namespace: str = "labels",
        **kwargs,
    ) -> None:
        super().__init__(
            token_indexers=token_indexers,
            entity_representation=entity_representation,
            negative_label=negative_label,
            label_namespace=label_namespace,
            **kwargs,
        )
        if format is not None:
            format = FORMAT_ALIASES.get(format.lower(), format.lower())
            if format not in DOCUMENT_FORMATS:
                raise ConfigurationError(
                    f"format must be one of {DOCUMENT_FORMATS} (or null: detected), got {format!r}"
                )
        self._document_format = format
        self._pairs = _candidate_pairs(candidate_types)
        self._relation_types = None if relation_types is None else set(relation_types)
        for name, value, choices in (
            ("relation_level", relation_level, LEVELS + (None,)),
            ("discontinuous", discontinuous, DISCONTINUOUS),
            ("composite_parts", composite_parts, COMPOSITE_PARTS),
        ):
            if value not in choices:
                raise ConfigurationError(f"{name} must be one of {choices}, got {value!r}")
        self._split = _check_split(split)
        if not 0.0 <= dev_fraction <= 1.0:
            raise ConfigurationError(f"dev_fraction must be between 0 and 1, got {dev_fraction}")
        self._level = relation_level
        self._discontinuous = discontinuous
        self._composite_parts = composite_parts
        self._dev_fraction = dev_fraction
        self._splitter = BioSentenceSplitter()
        self._path = ""
        self.statistics = ReaderStatistics()

    # ---- reading ------------------------------------------------------------------------------

    def _read(self, file_path) -> Iterator[Instance]:
        path, split = self._path_and_split(file_path)
        self._path = path
        self.statistics = ReaderStatistics()
        report = ReadReport(path)
        warn_if_fixture_corpus(path)
        pending: Optional[Instance] = None
        orphans: Dict[str, List[List[str]]] = {}  # gold sets of documents without instances
        for document in self.shard_iterable(self._selected_documents(path, split, report)):
            instances, gold = self._document_instances(document, report)
            if not instances and gold:
                orphans[document.id] = gold
            for instance in instances:
                if orphans:
                    instance["metadata"].metadata["gold_relations"].update(orphans)  # type: ignore
                    orphans = {}
                if pending is not None:
                    yield pending
                pending = instance
        if pending is not None:
            if orphans:
                pending["metadata"].metadata["gold_relations"].update(orphans)  # type: ignore
            yield pending
        elif orphans:
            report.count(
                "gold relations not scored",
                "the data gives no instance at all to carry them to the document-level metric",
                number=sum(len(keys) for keys in orphans.values()),
            )
        self._log(path, report)

    def _path_and_split(self, file_path) -> Tuple[str, Optional[str]]:
        """The path and the split of a data path: a path, or `{"path": ..., "split": ...}`."""
        if hasattr(file_path, "as_dict"):  # an AllenNLP `Params`
            file_path = file_path.as_dict(quiet=True)
        if isinstance(file_path, Mapping):
            unknown = sorted(set(file_path) - {"path", "split"})
            if unknown or "path" not in file_path:
                raise ConfigurationError(
                    'a data path object must be {"path": ..., "split": "train" | "dev" | "all"}, '
                    f"got {dict(file_path)!r}"
                )
            return os.fspath(file_path["path"]), _check_split(file_path.get("split", self._split))
        return os.fspath(file_path), self._split

    def _selected_documents(
        self, path: str, split: Optional[str], report: ReadReport
    ) -> Iterator[Document]:
        """The documents of the split, in file order; checks the configured types at the end."""
        mention_types: Counter = Counter()
        relation_types: Counter = Counter()
        total = kept = 0
        for document in read_documents(path, self._document_format):
            total += 1
            mention_types.update(mention.type for mention in document.mentions)
            relation_types.update(relation.type for relation in document.relations)
            if split is not None and split_of(document.id, self._dev_fraction) != split:
                continue
            kept += 1
            yield document
        first = is_first_reader(self)
        self._check_types(path, mention_types, relation_types, report if first else None)
        if first:
            if split is not None:
                logger.info(
                    "%s: split %r keeps %d of %d documents (dev_fraction %s)",
                    path,
                    split,
                    kept,
                    total,
                    self._dev_fraction,
                )
            if split is not None and total and not kept:
                report.count(
                    "documents",
                    f"split {split!r} selects none of the {total} documents (dev_fraction "
                    f"{self._dev_fraction})",
                    number=0,
                )

    def _check_types(
        self,
        path: str,
        mention_types: Counter,
        relation_types: Counter,
        report: Optional[ReadReport],
    ) -> None:
        found = ", ".join(sorted(mention_types)) or "none"
        if self._pairs is not None and mention_types:
            present = [pair for pair in self._pairs if all(t in mention_types for t in pair)]
            missing = sorted({t for pair in self._pairs for t in pair} - set(mention_types))
            if not present:
                raise ConfigurationError(
                    f"{path}: candidate_types {[list(p) for p in self._pairs]} can form no pair: "
                    f"the file has no mention of type {', '.join(map(repr, missing))} (its mention "
                    f"types are {found}; types are case-sensitive)"
                )
            if missing and report is not None:
                report.count(
                    "candidate types absent",
                    f"candidate_types names {', '.join(map(repr, missing))}, which no mention of "
                    f"the file has (its mention types: {found}; types are case-sensitive)",
                    number=0,
                )
        if self._relation_types is not None and report is not None:
            absent = sorted(self._relation_types - set(relation_types))
            if absent:
                report.count(
                    "relation types absent",
                    f"relation_types names {', '.join(map(repr, absent))}, which no relation of "
                    f"the file has (its relation types: "
                    f"{', '.join(sorted(relation_types)) or 'none'})",
                    number=0,
                )

    def _log(self, path: str, report: ReadReport) -> None:
        statistics = self.statistics
        scope = shard_description(self)
        logger.info(
            "%s%s: %d documents, %d sentences with instances; instances by label %s; %d gold "
            "relations read by type %s, %d unreachable",
            path,
            scope,
            statistics.documents,
            statistics.sentences,
            dict(sorted(statistics.relation_instances.items())),
            sum(statistics.relations_read.values()),
            dict(sorted(statistics.relations_read.items())),
            sum(sum(reasons.values()) for reasons in statistics.relations_unreachable.values()),
        )
        report.log(logger, scope)

    # ---- one document -------------------------------------------------------------------------

    def _document_instances(
        self, document: Document, report: ReadReport
    ) -> Tuple[List[Instance], List[List[str]]]:
        """The instances of a document and its gold relations as `[type, head, tail]`."""
        statistics = self.statistics
        statistics.documents += 1
        statistics.mentions_read.update(mention.type for mention in document.mentions)
        statistics.relations_read.update(relation.type for relation in document.relations)
        relations = [r for r in document.relations if self._is_target_type(r, report, document)]
        level = self._level or _document_level(document, relations)
        usable, dropped = self._usable_mentions(document, level)
        work = _DocumentWork(
            document, level, usable, dropped, self._gold(document, relations, level, report)
        )
        instances: List[Instance] = []
        for sentence, members in self._sentences(document, usable, dropped):
            instances.extend(self._sentence_instances(work, sentence, members, report))
        for located in usable:
            if located.mention.id not in work.placed and located.mention.id not in dropped:
                dropped[located.mention.id] = "partner"
        for mention in document.mentions:
            if mention.id in work.placed:
                statistics.mentions_placed[mention.type] += 1
            else:
                statistics.drop_mention(mention.type, MENTION_REASONS[dropped[mention.id]])
        self._count_unreachable(work, report)
        return instances, work.gold_keys()

    def _sentence_instances(
        self,
        work: "_DocumentWork",
        sentence: Tuple[int, int],
        members: List[_Located],
        report: ReadReport,
    ) -> Iterator[Instance]:
        """The instances of the candidate pairs among `members`, the mentions of `sentence`."""
        candidates = [
            pair
            for i, first in enumerate(members)
            for second in members[i + 1 :]
            for pair in [self._orient(first, second)]
            if pair is not None
        ]
        if not candidates:
            return
        start, end = sentence
        text = work.document.text
        tokens = tokenize_sentence(
            text, start, end, [m.as_mention for m in members], self._tokenizer
        )
        spans = {}
        for located in members:
            covered = [
                i
                for i, token in enumerate(tokens)
                if located.start <= token.idx and token.idx_end <= located.end
            ]
            if covered:
                spans[located.mention.id] = (covered[0], covered[-1] + 1)
            else:
                work.dropped[located.mention.id] = "token"
        sentence_metadata = {
            "sentence": [start, end],
            "offsets": [(token.idx, token.idx_end) for token in tokens],
        }
        words = [token.text for token in tokens]
        made = 0
        for head, tail, ordered in candidates:
            if head.mention.id not in spans or tail.mention.id not in spans:
                continue
            arguments = self._arguments(head, tail, ordered, work.level)
            label = self._label(work, head, tail, arguments, report)
            metadata = {
                "document_id": work.document.id,
                "head_mention": head.mention.id,
                "tail_mention": tail.mention.id,
                "head_identifiers": list(head.identifiers),
                "tail_identifiers": list(tail.identifiers),
                "relation_level": work.level,
                "relation_arguments": [list(key) for key in arguments],
                "gold_relations": {work.document.id: work.gold_keys()},
                "negative_label": self._negative_label,
                **sentence_metadata,
            }
            try:
                instance = self.text_to_instance(
                    words,
                    spans[head.mention.id],
                    spans[tail.mention.id],
                    head.mention.type,
                    tail.mention.type,
                    label,
                    metadata,
                )
            except ConfigurationError:  # overlapping mentions cannot both carry markers
                work.overlapping.update(arguments)
                report.count(
                    "candidate pairs skipped",
                    f"their mentions overlap, so entity_representation "
                    f"{self._representation!r} cannot show both",
                    kind=label,
                    example=f"{work.document.id} {head.mention.id}-{tail.mention.id}",
                )
                continue
            work.produced.update(arguments)
            work.placed.update((head.mention.id, tail.mention.id))
            self.statistics.relation_instances[label] += 1
            made += 1
            yield instance
        if made:
            self.statistics.sentences += 1
            self.statistics.tokens += len(tokens)

    def _label(
        self,
        work: "_DocumentWork",
        head: _Located,
        tail: _Located,
        arguments: List[Key],
        report: ReadReport,
    ) -> str:
        """The type of the first relation of the document the candidate stands for, or the
        negative label."""
        types = sorted(
            {t for key in arguments for t in work.labels.get(key, [])}, key=work.first_relation.get
        )
        if len(types) > 1:
            report.count(
                "candidate pairs with several relation types",
                "each takes the type of the first relation in its document as its label",
                kind="+".join(types),
                example=f"{work.document.id} {head.mention.id}-{tail.mention.id}",
            )
        return types[0] if types else self._negative_label

    def _is_target_type(self, relation: Relation, report: ReadReport, document: Document) -> bool:
        if self._relation_types is None or relation.type in self._relation_types:
            return True
        report.count(
            "relations ignored",
            "their type is not in relation_types",
            kind=relation.type,
            example=f"{document.id} {relation.id}",
        )
        return False

    def _usable_mentions(
        self, document: Document, level: str
    ) -> Tuple[List[_Located], Dict[str, str]]:
        """The mentions that can be arguments, and the reason each other one cannot."""
        usable, dropped = [], {}
        types = None if self._pairs is None else {t for pair in self._pairs for t in pair}
        for mention in document.mentions:
            identifiers = _identifiers(mention)
            reason = None
            if types is not None and mention.type not in types:
                reason = "type"
            elif (
                self._composite_parts == "skip"
                and mention.infons.get(COMPOSITE_ROLE) == INDIVIDUAL_MENTION
            ):
                reason = "composite"
            elif level == CONCEPT and not identifiers:
                reason = "identifier"
            elif mention.is_discontinuous and self._discontinuous == "drop":
                reason = "discontinuous"
            else:
                if self._discontinuous == "first_span":
                    start, end = min(mention.spans)
                else:
                    start, end = mention.start, mention.end
                if document.passages:
                    passage = document.passage_at(start)
                    if passage is None or end > passage.end:
                        reason = "passage"
            if reason is not None:
                dropped[mention.id] = reason
            else:
                usable.append(_Located(mention, start, end, identifiers))
        usable.sort(key=lambda m: (m.start, m.end, m.mention.id))
        return usable, dropped

    def _sentences(
        self, document: Document, usable: List[_Located], dropped: Dict[str, str]
    ) -> Iterator[Tuple[Tuple[int, int], List[_Located]]]:
        """(sentence span, the usable mentions it holds) for every sentence of the document."""
        spans, _ = passage_sentence_spans(
            document.text, [m.as_mention for m in usable], self._splitter, document.passages
        )
        assigned: Set[str] = set()
        for start, end in spans:
            inside = [m for m in usable if m.start < end and m.end > start]
            assigned.update(m.mention.id for m in inside)
            if len(inside) > 1:
                yield (start, end), inside
        for located in usable:  # only whitespace around or between sentences
            if located.mention.id not in assigned:
                dropped[located.mention.id] = "token"

    def _orient(
        self, first: _Located, second: _Located
    ) -> Optional[Tuple[_Located, _Located, bool]]:
        """(head, tail, ordered) of a candidate pair (`first` comes first), or None."""
        if self._pairs is None:
            return first, second, False
        for head_type, tail_type in self._pairs:
            if (first.mention.type, second.mention.type) == (head_type, tail_type):
                return first, second, head_type != tail_type
            if (second.mention.type, first.mention.type) == (head_type, tail_type):
                return second, first, True
        return None

    @staticmethod
    def _arguments(head: _Located, tail: _Located, ordered: bool, level: str) -> List[Key]:
        if level == CONCEPT:
            pairs = {(h, t) for h in head.identifiers for t in tail.identifiers}
        else:
            pairs = {(head.mention.id, tail.mention.id)}
        if not ordered:
            pairs = {_sorted_pair(*pair) for pair in pairs}
        return sorted(pairs)

    # ---- gold relations -----------------------------------------------------------------------

    def _gold(
        self, document: Document, relations: Sequence[Relation], level: str, report: ReadReport
    ) -> List[Tuple[Relation, List[Key]]]:
        """Every positive target relation with the argument keys it stands for (maybe none)."""
        mentions = document.mentions_by_id()
        concept_types: Dict[str, Set[str]] = {}
        for mention in document.mentions:
            for identifier in _identifiers(mention):
                concept_types.setdefault(identifier, set()).add(mention.type)
        type_names = set() if self._pairs is None else {t for pair in self._pairs for t in pair}
        gold = []
        for relation in relations:
            if relation.type in NEGATIVE_RELATION_TYPES or relation.infons.get("ddi") == "false":
                continue
            where = f"{document.id} {relation.id}"
            arguments = list(relation.arguments.items())
            if len(arguments) != 2 or any(a.kind not in LEVELS for _, a in arguments):
                report.count(
                    "relations ignored",
                    "not two mention or concept arguments",
                    kind=relation.type,
                    example=where,
                )
                continue
            sides: List[Tuple[List[str], Optional[Set[str]]]] = []
            for role, argument in arguments:
                if argument.kind == MENTION:
                    if argument.value not in mentions:
                        raise DataFormatError(
                            self._path,
                            0,
                            f"document {document.id}: relation {relation.id} names a missing "
                            f"mention {argument.value!r}",
                        )
                    mention = mentions[argument.value]
                    values = [mention.id] if level == MENTION else _identifiers(mention)
                    sides.append((values, {mention.type}))
                elif level == MENTION:
                    break
                elif role in type_names:
                    sides.append(([argument.value], {role}))
                else:  # the types of the mentions carrying it; None: unknown (fits any type)
                    sides.append(([argument.value], concept_types.get(argument.value)))
            if len(sides) < 2:
                report.count(
                    "relations ignored",
                    "a concept-level relation where relation_level is 'mention'",
                    kind=relation.type,
                    example=where,
                )
                continue
            (first, first_types), (second, second_types) = sides
            if not first or not second:
                gold.append((relation, []))  # a mention without identifier: counted unreachable
                continue
            keys = {
                key
                for a in first
                for b in second
                for key in [self._orient_values(a, first_types, b, second_types)]
                if key is not None
            }
            if not keys:
                report.count(
                    "relations ignored",
                    "their arguments are not of a candidate type pair",
                    kind=relation.type,
                    example=where,
                )
                continue
            gold.append((relation, sorted(keys)))
        return gold

    def _orient_values(
        self, a: str, a_types: Optional[Set[str]], b: str, b_types: Optional[Set[str]]
    ) -> Optional[Key]:
        if self._pairs is None:
            return _sorted_pair(a, b)
        for head_type, tail_type in self._pairs:
            for (x, x_types), (y, y_types) in (
                ((a, a_types), (b, b_types)),
                ((b, b_types), (a, a_types)),
            ):
                if _fits(x_types, head_type) and _fits(y_types, tail_type):
                    return (x, y) if head_type != tail_type else _sorted_pair(x, y)
        return None

    def _count_unreachable(self, work: "_DocumentWork", report: ReadReport) -> None:
        """Counts, by label and reason, the gold relations for which no instance was made."""
        available: Set[str] = set()
        for located in work.usable:
            if work.dropped.get(located.mention.id) != "token":
                if work.level == CONCEPT:
                    available.update(located.identifiers)
                else:
                    available.add(located.mention.id)
        for relation, keys in work.gold:
            if any(key in work.produced for key in keys):
                continue
            if not keys:
                reason = "an argument mention has no concept identifier"
            elif any(key in work.overlapping for key in keys):
                reason = (
                    f"its mentions overlap, so entity_representation {self._representation!r} "
                    "cannot show both"
                )
            elif all(a not in available or b not in available for a, b in keys):
                reason = (
                    "an argument has no usable mention (none in the document, or all dropped: "
                    "see the mention counts)"
                )
            elif work.level == CONCEPT:
                reason = "its concepts never share a sentence"
            else:
                reason = "its mentions are in different sentences"
            self.statistics.unreachable_relation(relation.type, reason)
            report.count(
                "gold relations unreachable (they cap recall)",
                reason,
                kind=relation.type,
                example=f"{work.document.id} {relation.id}",
            )


# ---- helpers ------------------------------------------------------------------------------------


def split_of(document_id: str, dev_fraction: float) -> str:
    """The split ("dev" or "train") of a document: its id's SHA-256 as a fraction of 2**64, below
    `dev_fraction` or not."""
    digest = hashlib.sha256(str(document_id).encode("utf-8")).digest()
    return "dev" if int.from_bytes(digest[:8], "big") / 2**64 < dev_fraction else "train"


def _check_split(split: Optional[str]) -> Optional[str]:
    if split not in SPLITS + (None,):
        raise ConfigurationError(f"split must be one of {SPLITS} or null, got {split!r}")
    return None if split == "all" else split


def _candidate_pairs(candidate_types) -> Optional[List[Tuple[str, str]]]:
    if candidate_types == ANY:
        return None
    if (
        not isinstance(candidate_types, (list, tuple))
        or not candidate_types
        or any(
            not isinstance(pair, (list, tuple))
            or len(pair) != 2
            or not all(isinstance(t, str) and t for t in pair)
            for pair in candidate_types
        )
    ):
        raise ConfigurationError(
            'candidate_types must be "any" or a non-empty list of [head type, tail type] pairs, '
            f"got {candidate_types!r}"
        )
    return [(pair[0], pair[1]) for pair in candidate_types]


def _identifiers(mention: DocumentMention) -> List[str]:
    return [i for i in mention.identifiers if i.strip() not in NO_IDENTIFIER]


def _document_level(document: Document, relations: Sequence[Relation]) -> str:
    kinds = {argument.kind for relation in relations for argument in relation.arguments.values()}
    if CONCEPT in kinds:
        return CONCEPT
    if MENTION in kinds:
        return MENTION
    return CONCEPT if any(_identifiers(m) for m in document.mentions) else MENTION


def _sorted_pair(a: str, b: str) -> Key:
    return (a, b) if a <= b else (b, a)


def _fits(types: Optional[Set[str]], wanted: str) -> bool:
    return types is None or wanted in types
