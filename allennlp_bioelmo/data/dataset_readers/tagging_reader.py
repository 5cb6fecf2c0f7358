"""
What the NER readers share: the output tag scheme, entity-type filtering and renaming, and the
instance layout (`tokens`, `tags`, `metadata` with `words`).
"""

from typing import Dict, List, Optional

from allennlp.common.checks import ConfigurationError
from allennlp.data.dataset_readers.dataset_reader import DatasetReader
from allennlp.data.fields import MetadataField, SequenceLabelField, TextField
from allennlp.data.instance import Instance
from allennlp.data.token_indexers import TokenIndexer
from allennlp.data.tokenizers import Token

from allennlp_bioelmo.data.dataset_readers.reader_utils import default_token_indexers
from allennlp_bioelmo.data.dataset_readers.tagging_schemes import (
    OUTPUT_SCHEMES,
    filter_and_rename,
    from_bio,
)


class TaggingDatasetReader(DatasetReader):
    """
    Base class of the NER readers (`bio_conll`, `bio_pubtator`, `bio_brat`); lazy, and shards
    its input over distributed and data-loader workers (subclasses call `shard_iterable`).

    # Parameters

    token_indexers : `Dict[str, TokenIndexer]`, optional (default = `{"elmo": bioelmo_characters}`)
    output_scheme : `str`, optional (default = `"BIO"`)
        `"BIO"` or `"BIOUL"`.
    entity_types : `List[str]`, optional (default = all)
        Keep only these entity types (others become `O`); applied before renaming.
    rename_types : `Dict[str, str]`, optional
        Entity type renaming, e.g. `{"Disease": "DISEASE"}`.
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
        super().__init__(
            manual_distributed_sharding=True, manual_multiprocess_sharding=True, **kwargs
        )
        if output_scheme not in OUTPUT_SCHEMES:
            raise ConfigurationError(
                f"output_scheme must be one of {OUTPUT_SCHEMES}, got {output_scheme!r}"
            )
        self._token_indexers = token_indexers or default_token_indexers()
        self._output_scheme = output_scheme
        self._entity_types = entity_types
        self._rename_types = rename_types
        self._label_namespace = label_namespace

    def output_tags(self, bio_tags: List[str]) -> List[str]:
        """BIO tags after the type filter and renaming, in the output scheme."""
        return from_bio(
            filter_and_rename(bio_tags, self._entity_types, self._rename_types), self._output_scheme
        )

    def text_to_instance(  # type: ignore
        self, tokens: List[str], tags: Optional[List[str]] = None, metadata: Optional[dict] = None
    ) -> Instance:
        text_field = TextField([Token(t) for t in tokens])
        fields = {
            "tokens": text_field,
            "metadata": MetadataField({"words": list(tokens), **(metadata or {})}),
        }
        if tags is not None:
            fields["tags"] = SequenceLabelField(tags, text_field, self._label_namespace)
        return Instance(fields)

    def apply_token_indexers(self, instance: Instance) -> None:
        instance["tokens"].token_indexers = self._token_indexers  # type: ignore
