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
from allennlp_bioelmo.data.dataset_readers.tagging_reader import TaggingDatasetReader
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter

logger = logging.getLogger(__name__)

Document = Tuple[str, str, List[Mention]]  # (document id, text, mentions)


class NerDocumentReader(TaggingDatasetReader):
    """
    Base class of `bio_pubtator` and `bio_brat`: subclasses yield `(document id, text, mentions)`
    from `_documents(file_path)`; this class shards *documents* over workers, tags them (rule in
    `document_tagging`), and logs how many mentions were read and placed. Parameters as
    `TaggingDatasetReader`.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._tokenizer = BioRegexTokenizer()
        self._splitter = BioSentenceSplitter()
        self.last_counts = MentionCounts()

    def _documents(self, file_path: str) -> Iterator[Document]:
        raise NotImplementedError

    def _read(self, file_path: str) -> Iterable[Instance]:
        counts = MentionCounts()
        for document_id, text, mentions in self.shard_iterable(self._documents(file_path)):
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
        logger.info(
            "%s: read %d mentions, placed %d as tags (%d dropped: overlapping another mention); "
            "by type %s",
            file_path,
            counts.read,
            counts.placed,
            counts.overlapping,
            counts.per_type,
        )
