"""
The part that the document-level NER readers (`bio_pubtator`, `bio_brat`, `bio_bioc`,
`bio_ddi_xml`) share: documents of the document model (`allennlp_bioelmo.documents`) in, tagged
sentence instances out, with every mention counted in `statistics` and the counts logged.
"""

import dataclasses
import logging
import os
from typing import Iterable, Iterator, List

from allennlp.common.checks import ConfigurationError
from allennlp.common.file_utils import cached_path
from allennlp.data.instance import Instance

from allennlp_bioelmo.common.config_variables import warn_if_fixture_corpus
from allennlp_bioelmo.data.dataset_readers.document_tagging import (
    CROSSES_PASSAGE,
    NO_TOKEN,
    OVERLAPPING,
    MentionCounts,
    tag_document,
)
from allennlp_bioelmo.data.dataset_readers.reader_statistics import ReaderStatistics
from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    DataFormatError,
    ReadReport,
    is_first_reader,
    shard_description,
)
from allennlp_bioelmo.data.dataset_readers.tagging_reader import TaggingDatasetReader
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter
from allennlp_bioelmo.documents import (
    Document,
    DocumentStatistics,
    Mention,
    apply_discontinuous_policy,
)

logger = logging.getLogger(__name__)

# The multi-span mention policies BIO tagging can follow (the document model's but "pieces": BIO
# tags cannot leave a gap inside a mention).
NER_DISCONTINUOUS_POLICIES = ("covering", "first_span", "drop")
DEFAULT_DISCONTINUOUS = "covering"

# Reasons a mention is dropped before tagging (the tagging step's are in `document_tagging`).
TYPE_NOT_SELECTED = "type not selected"
DISCONTINUOUS_DROPPED = "several spans (discontinuous='drop')"


class NerDocumentReader(TaggingDatasetReader):
    """
    Base class of the document NER readers: a subclass yields `allennlp_bioelmo.documents.Document`s
    from `_documents(file_path)` (read with `discontinuous="pieces"`, so that every mention reaches
    this class as the file has it) and may count what it skips in `self._report` (a `ReadReport`
    of the whole file). This class shards *documents* over workers, counts every mention the file
    holds (`statistics.mentions_read`, by type), keeps the `entity_types` (the others are dropped,
    reason "type not selected"), applies the `discontinuous` policy, tags the documents (rule in
    `document_tagging`: sentences split per passage, overlapping mentions resolved, ...) and counts
    every mention as placed or dropped with its reason, so that for every type placed + dropped ==
    read. `self.statistics` (a `ReaderStatistics`, what `allennlp bioelmo-stats` prints) is reset
    at the start of each read; `self.last_counts` (`MentionCounts`) holds the tagging step's
    counts. It logs how many mentions were read and placed (INFO), and as WARNINGs, once per file:
    the mentions dropped by tagging (how many, of which types, why), the sentence boundaries
    removed because a mention crosses them, and the documents without text.

    # Parameters

    discontinuous : `str`, optional (default = `"covering"`)
        What a mention with several spans (BRAT `0 7;19 26`, BioC's several `location`s, DDI's
        `10-16;29-36`) becomes before tagging, the document model's policy
        (`allennlp_bioelmo.documents.apply_discontinuous_policy`, applied the same way by every
        NER reader): `"covering"` tags its covering span, from its first start to its last end;
        `"first_span"` tags only its first piece; `"drop"` drops it (counted). `"pieces"` is not
        accepted: BIO tags cannot leave a gap. The default is `"covering"` because it never tags a
        fragment as if it were the whole entity, and on the corpora at hand it tags what the
        annotators tagged as one stretch of text: BC5CDR's BioC release annotates a coordination
        ("Ocular and auditory toxicity") once as a composite mention over the whole stretch and
        again as its `IndividualMention`s ("Ocular ... toxicity", "auditory toxicity"); covering
        turns the gappy individual mention into the composite's own span, so both individual
        mentions are dropped as overlapping the composite (counted) and the tags are the
        composite's, exactly what the PubTator release of the same corpus (which has no
        individual mentions) gives. On DDI-2013 ("loop ... diuretics" in "loop, potassium-sparing
        and thiazide diuretics") and in BRAT it tags the whole coordination as one mention, where
        `"first_span"` would tag "loop" alone as a drug group.
    Others as `TaggingDatasetReader` (`entity_types`, `rename_types`, `output_scheme`, ...).
    """

    # Whether a one-span mention whose text differs from the document at its offsets is an error
    # (`_mention_text_error`, naming file and line) instead of a counted warning.
    strict_mention_text = False

    def __init__(self, discontinuous: str = DEFAULT_DISCONTINUOUS, **kwargs) -> None:
        super().__init__(**kwargs)
        if discontinuous not in NER_DISCONTINUOUS_POLICIES:
            raise ConfigurationError(
                f"discontinuous must be one of {', '.join(NER_DISCONTINUOUS_POLICIES)} for NER "
                f"(BIO tags cannot leave a gap inside a mention), got {discontinuous!r}"
            )
        self._discontinuous = discontinuous
        self._tokenizer = BioRegexTokenizer()
        self._splitter = BioSentenceSplitter()
        self.last_counts = MentionCounts()
        self.statistics = ReaderStatistics()
        self.document_statistics = DocumentStatistics()
        self._report = ReadReport("")

    def _documents(self, file_path: str) -> Iterator[Document]:
        """The documents of the file, read with `discontinuous="pieces"` and
        `stats=self.document_statistics`."""
        raise NotImplementedError

    def _mention_text_error(
        self, file_path: str, document: Document, mention: Mention
    ) -> DataFormatError:
        """The error for a mention whose text differs from the document (strict readers)."""
        start, end = mention.spans[0]
        return DataFormatError(
            file_path,
            0,
            f"document {document.id}: mention text {mention.text!r} differs from the document "
            f"text at {start}-{end}: {document.text[start:end]!r}",
        )

    @staticmethod
    def _local_path(file_path: str) -> str:
        """`file_path` as a local path (a URL is downloaded to the cache), announced if it is a
        fixture corpus that a config variable defaulted to."""
        warn_if_fixture_corpus(file_path)
        return file_path if os.path.isdir(file_path) else cached_path(file_path)

    def _all_documents(self, file_path: str) -> Iterator[Document]:
        """Every document of the file (before sharding), counting those without text."""
        documents = 0
        for document in self._documents(file_path):
            documents += 1
            if self.strict_mention_text:
                for mention in document.mentions:
                    if len(mention.spans) == 1 and document.text_at(mention.spans) != mention.text:
                        raise self._mention_text_error(file_path, document, mention)
            if not document.text.strip():
                self._report.count(
                    "documents without text",
                    "they give no sentence",
                    example=document.id,
                )
            yield document
        empty = self._report.total("documents without text")
        if documents and empty == documents:
            self._report.count(
                "sentences", "no document has text, so the data gives no instances", number=0
            )

    def _mentions_to_tag(self, document: Document) -> List[Mention]:
        """The document's mentions of the selected types under the discontinuous policy; every
        other mention counted as dropped."""
        statistics = self.statistics
        selected = []
        for mention in document.mentions:
            if self._entity_types is not None and mention.type not in self._entity_types:
                statistics.drop_mention(mention.type, TYPE_NOT_SELECTED)
            else:
                selected.append(mention)
        multi = [mention for mention in selected if mention.is_discontinuous]
        if not multi:
            return selected
        for mention in multi:
            statistics.discontinuous_mention(mention.type, self._discontinuous)
            if self._discontinuous == "drop":
                statistics.drop_mention(mention.type, DISCONTINUOUS_DROPPED)
        selection = dataclasses.replace(document, mentions=selected, relations=[])
        return apply_discontinuous_policy(selection, self._discontinuous).mentions

    def _read(self, file_path: str) -> Iterable[Instance]:
        self._report = ReadReport(file_path)
        self.statistics = statistics = ReaderStatistics()
        self.document_statistics = DocumentStatistics()
        counts = MentionCounts()
        for document in self.shard_iterable(self._all_documents(file_path)):
            statistics.documents += 1
            statistics.read_mentions(mention.type for mention in document.mentions)
            mentions = self._mentions_to_tag(document)
            sentences, document_counts = tag_document(
                document.text,
                mentions,
                self._tokenizer,
                self._splitter,
                passages=document.passages,
            )
            counts.add(document_counts)
            for sentence in sentences:
                statistics.sentences += 1
                statistics.tokens += len(sentence.tokens)
                yield self.text_to_instance(
                    [t.text for t in sentence.tokens],
                    self.output_tags(sentence.tags),
                    {
                        "document_id": document.id,
                        "offsets": [(t.idx, t.idx_end) for t in sentence.tokens],
                    },
                )
        self.last_counts = counts
        for mention_type, number in counts.per_type.items():
            statistics.place_mention(mention_type, number)
        for mention_type, reasons in counts.dropped_per_type().items():
            for reason, number in reasons.items():
                statistics.drop_mention(mention_type, reason, number)
        scope = shard_description(self)
        logger.info(
            "%s%s: read %d mentions (%s), tagged %d, placed %d as tags (%d dropped: overlapping "
            "another mention, %d: covering no token, %d: crossing a passage boundary); by type "
            "%s; %d sentence boundaries removed (a mention crosses them)",
            file_path,
            scope,
            sum(statistics.mentions_read.values()),
            _counts(statistics.mentions_read),
            counts.read,
            counts.placed,
            counts.overlapping,
            counts.no_token,
            counts.crossing_passage,
            counts.per_type,
            counts.merged_boundaries,
        )
        before_tagging = {
            mention_type: {r: n for r, n in reasons.items() if r not in _TAGGING_REASONS}
            for mention_type, reasons in statistics.mentions_dropped.items()
        }
        if any(before_tagging.values()):
            logger.info("%s%s: mentions not tagged: %s", file_path, scope, before_tagging)
        if is_first_reader(self):
            self._report.log(logger)  # what the subclass skipped, over the whole file
        tagging = ReadReport(file_path)
        _count_tagging(tagging, counts)
        tagging.log(logger, scope)


_TAGGING_REASONS = (OVERLAPPING, NO_TOKEN, CROSSES_PASSAGE)


def _counts(counter) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counter.items())) or "none"


def _count_tagging(report: ReadReport, counts: MentionCounts) -> None:
    """Counts of the tagging step (document_tagging's rule) as `report` items."""
    for per_type, why in (
        (
            counts.overlapping_per_type,
            "each overlaps a longer (or an equally long, earlier) mention already tagged, and BIO "
            "tags hold one mention per token",
        ),
        (counts.no_token_per_type, "each covers no token (only whitespace)"),
        (
            counts.crossing_passage_per_type,
            "each crosses a passage boundary (e.g. from the title into the abstract), and "
            "sentences never do",
        ),
    ):
        for entity_type, number in sorted(per_type.items()):
            report.count("mentions dropped", why, kind=entity_type, number=number)
    if counts.merged_boundaries:
        report.count(
            "sentence boundaries removed",
            "a mention crosses each, so the sentences on both sides were merged into one",
            number=counts.merged_boundaries,
        )
