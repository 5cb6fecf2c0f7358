"""
The `bio_bioc` reader: NER from BioC XML or BioC JSON collections (BC5CDR's BioC release, bconv's
CRAFT and NCBI-disease conversions, PubTator3 exports, ...), read by `allennlp_bioelmo.documents`.
"""

from typing import Iterator, List, Optional

from allennlp.data.dataset_readers.dataset_reader import DatasetReader

from allennlp_bioelmo.data.dataset_readers.ner_document_reader import NerDocumentReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from allennlp_bioelmo.documents import Document, detect_format, read_documents
from allennlp_bioelmo.documents.bioc_common import DEFAULT_IDENTIFIER_KEYS

BIOC_FORMATS = ("bioc_xml", "bioc_json")


@DatasetReader.register("bio_bioc")
class BioBiocDatasetReader(NerDocumentReader):
    """
    NER from a BioC collection, XML (`<collection><document><passage><annotation>`) or JSON
    (`{"documents": [{"passages": [{"annotations": ...}]}]}`, and the other shapes
    `allennlp_bioelmo.documents.bioc_json` reads), told apart by the file's content. Offsets are
    BioC's document-level ones; each passage (title, abstract, section) is split into sentences
    on its own, so no sentence crosses from one passage into the next. A mention's type is its
    `type` infon (`type_key`); annotations in `sentence` elements are read too. A mention whose
    text differs from the document at its offsets (BC5CDR's training set has one shifted
    annotation) is tagged at its offsets and counted in a warning, not an error.

    Mentions with several locations follow `discontinuous` (default "covering"; see
    `NerDocumentReader`, which also explains why that default fits BC5CDR's composite mentions).
    Every mention is counted in `statistics` (`allennlp bioelmo-stats`): read (what the file
    holds, by type), placed, or dropped with the reason ("type not selected", overlapping a longer
    mention, ...).

    Registered as a `DatasetReader` with name "bio_bioc".

    # Parameters

    identifier_keys : `List[str]`, optional (default = `identifier`, `MESH`, `cui`, ...)
        Annotation infons tried in order for a mention's concept identifiers (kept in the
        document model; the tags do not use them).
    entity_types : `List[str]`, optional (default = every type in the data)
        Tag only these types; mentions of other types are dropped (counted: "type not
        selected"), so that they neither become tags nor keep a selected mention from being
        placed.
    discontinuous : `str`, optional (default = `"covering"`)
        `"covering"`, `"first_span"` or `"drop"` (see `NerDocumentReader`).
    type_key : `str`, optional (default = `"type"`)
        The annotation infon that holds the mention type.
    Others as `TaggingDatasetReader` (`rename_types`, `output_scheme`, `token_indexers`, ...).
    """

    def __init__(
        self,
        identifier_keys: Optional[List[str]] = None,
        entity_types: Optional[List[str]] = None,
        discontinuous: str = "covering",
        type_key: str = "type",
        **kwargs,
    ) -> None:
        super().__init__(entity_types=entity_types, discontinuous=discontinuous, **kwargs)
        self._identifier_keys = (
            tuple(identifier_keys) if identifier_keys is not None else DEFAULT_IDENTIFIER_KEYS
        )
        self._type_key = type_key

    def _documents(self, file_path: str) -> Iterator[Document]:
        path = self._local_path(file_path)
        found = detect_format(path)
        if found not in BIOC_FORMATS:
            raise DataFormatError(
                file_path,
                0,
                f"bio_bioc reads BioC XML or BioC JSON, but this looks like {found} (use "
                f"{_READER_OF.get(found, 'another reader')})",
            )
        return read_documents(
            path,
            found,
            identifier_keys=self._identifier_keys,
            type_key=self._type_key,
            discontinuous="pieces",
            stats=self.document_statistics,
        )


_READER_OF = {"pubtator": "bio_pubtator", "brat": "bio_brat", "ddi_xml": "bio_ddi_xml"}
