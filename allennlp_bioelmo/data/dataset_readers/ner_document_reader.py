"""
The part that the document-level NER readers (PubTator, BRAT) share: turning documents with
character-offset mentions into tagged sentence instances, with counts logged.
"""
import logging
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from allennlp.common.checks import ConfigurationError
from allennlp.data.dataset_readers.dataset_reader import DatasetReader
from allennlp.data.fields import MetadataField, SequenceLabelField, TextField
from allennlp.data.instance import Instance
from allennlp.data.token_indexers import TokenIndexer
from allennlp.data.tokenizers import Token

from allennlp_bioelmo.data.dataset_readers.document_tagging import Mention, MentionCounts, tag_document
from allennlp_bioelmo.data.dataset_readers.reader_utils import default_token_indexers
from allennlp_bioelmo.data.dataset_readers.tagging_schemes import OUTPUT_SCHEMES, filter_and_rename, from_bio
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter

logger = logging.getLogger(__name__)

Document = Tuple[str, str, List[Mention]]  # (document id, text, mentions)


class NerDocumentReader(DatasetReader):
    """
    Base class of `bio_pubtator` and `bio_brat`: subclasses yield `(document id, text, mentions)`
    from `_documents(file_path)`; this class shards *documents* over workers, tags them (rule in
    `document_tagging`), and logs how many mentions were read and placed.

    # Parameters

    token_indexers : `Dict[str, TokenIndexer]`, optional (default = `{"elmo": bioelmo_characters}`)
    output_scheme : `str`, optional (default = `"BIO"`)
    entity_types : `List[str]`, optional (default = all)
    rename_types : `Dict[str, str]`, optional
    label_namespace : `str`, optional (default = `"labels"`)
    """

    def __init__(
        self,
        token_indexers: Optional[Dict[str, TokenIndexer]] = None,
        output_scheme: str = "BIO",
        entity_types: Optional[List[str]] = None,
        rename_types: Optional[Dict[str, str]] = None,
        label_namespace: str = "labels",
        **kwargs,
    ) -> None:
        super().__init__(manual_distributed_sharding=True, manual_multiprocess_sharding=True, **kwargs)
        if output_scheme not in OUTPUT_SCHEMES:
            raise ConfigurationError(f"output_scheme must be one of {OUTPUT_SCHEMES}, got {output_scheme!r}")
        self._token_indexers = token_indexers or default_token_indexers()
        self._output_scheme = output_scheme
        self._entity_types = entity_types
        self._rename_types = rename_types
        self._label_namespace = label_namespace
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
            sentences, document_counts = tag_document(text, mentions, self._tokenizer, self._splitter)
            counts.add(document_counts)
            for sentence in sentences:
                tags = from_bio(filter_and_rename(sentence.tags, None, self._rename_types), self._output_scheme)
                yield self.text_to_instance(
                    [t.text for t in sentence.tokens],
                    tags,
                    {"document_id": document_id, "offsets": [(t.idx, t.idx_end) for t in sentence.tokens]},
                )
        self.last_counts = counts
        logger.info(
            "%s: read %d mentions, placed %d as tags (%d dropped: overlapping another mention); by type %s",
            file_path, counts.read, counts.placed, counts.overlapping, counts.per_type,
        )

    def text_to_instance(  # type: ignore
        self, tokens: List[str], tags: Optional[List[str]] = None, metadata: Optional[dict] = None
    ) -> Instance:
        text_field = TextField([Token(t) for t in tokens])
        fields = {"tokens": text_field, "metadata": MetadataField({"words": list(tokens), **(metadata or {})})}
        if tags is not None:
            fields["tags"] = SequenceLabelField(tags, text_field, self._label_namespace)
        return Instance(fields)

    def apply_token_indexers(self, instance: Instance) -> None:
        instance["tokens"].token_indexers = self._token_indexers  # type: ignore
