"""
The part that the document-level NER readers (PubTator, BRAT) share: turning documents with
character-offset mentions into tagged sentence instances, with counts logged.
"""

import logging
from typing import Iterable, Iterator, List, Tuple

from allennlp.data.instance import Instance

from allennlp_bioelmo.data.dataset_readers.document_tagging import (
    Mention,
    MentionCounts,
    tag_document,
)
from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    ReadReport,
    is_first_reader,
    shard_description,
)
from allennlp_bioelmo.data.dataset_readers.tagging_reader import TaggingDatasetReader
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter

logger = logging.getLogger(__name__)

Document = Tuple[str, str, List[Mention]]  # (document id, text, mentions)


class NerDocumentReader(TaggingDatasetReader):
    """
    Base class of `bio_pubtator` and `bio_brat`: subclasses yield `(document id, text, mentions)`
    from `_documents(file_path)` and may count what they skip in `self._report` (a `ReadReport`
    of the whole file); this class shards *documents* over workers, tags them (rule in
    `document_tagging`), and logs how many mentions were read and placed (INFO), and as WARNINGs,
    once per file: the mentions dropped (how many, of which types, why), the sentence boundaries
    removed because a mention crosses them, and the documents without text. Parameters as
    `TaggingDatasetReader`.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._tokenizer = BioRegexTokenizer()
        self._splitter = BioSentenceSplitter()
        self.last_counts = MentionCounts()
        self._report = ReadReport("")

    def _documents(self, file_path: str) -> Iterator[Document]:
        raise NotImplementedError

    def _all_documents(self, file_path: str) -> Iterator[Document]:
        """Every document of the file (before sharding), counting those without text."""
        documents = 0
        for document in self._documents(file_path):
            documents += 1
            if not document[1].strip():
                self._report.count(
                    "documents without text",
                    "they give no sentence",
                    example=document[0],
                )
            yield document
        empty = self._report.total("documents without text")
        if documents and empty == documents:
            self._report.count(
                "sentences", "no document has text, so the data gives no instances", number=0
            )

    def _read(self, file_path: str) -> Iterable[Instance]:
        self._report = ReadReport(file_path)
        counts = MentionCounts()
        for document_id, text, mentions in self.shard_iterable(self._all_documents(file_path)):
            if self._entity_types is not None:
                mentions = [m for m in mentions if m.entity_type in self._entity_types]
            sentences, document_counts = tag_document(
                text, mentions, self._tokenizer, self._splitter
            )
            counts.add(document_counts)
            for sentence in sentences:
                yield self.text_to_instance(
                    [t.text for t in sentence.tokens],
                    self.output_tags(sentence.tags),
                    {
                        "document_id": document_id,
                        "offsets": [(t.idx, t.idx_end) for t in sentence.tokens],
                    },
                )
        self.last_counts = counts
        scope = shard_description(self)
        logger.info(
            "%s%s: read %d mentions, placed %d as tags (%d dropped: overlapping another mention, "
            "%d: covering no token); by type %s; %d sentence boundaries removed (a mention "
            "crosses them)",
            file_path,
            scope,
            counts.read,
            counts.placed,
            counts.overlapping,
            counts.no_token,
            counts.per_type,
            counts.merged_boundaries,
        )
        if is_first_reader(self):
            self._report.log(logger)  # what the subclass skipped, over the whole file
        tagging = ReadReport(file_path)
        _count_tagging(tagging, counts)
        tagging.log(logger, scope)


def _count_tagging(report: ReadReport, counts: MentionCounts) -> None:
    """Counts of the tagging step (document_tagging's rule) as `report` items."""
    for per_type, why in (
        (
            counts.overlapping_per_type,
            "each overlaps a longer (or an equally long, earlier) mention already tagged, and BIO "
            "tags hold one mention per token",
        ),
        (counts.no_token_per_type, "each covers no token (only whitespace)"),
    ):
        for entity_type, number in sorted(per_type.items()):
            report.count("mentions dropped", why, kind=entity_type, number=number)
    if counts.merged_boundaries:
        report.count(
            "sentence boundaries removed",
            "a mention crosses each, so the sentences on both sides were merged into one",
            number=counts.merged_boundaries,
        )
