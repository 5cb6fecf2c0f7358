"""
The dataset readers: `bio_conll` (NER from IOB columns), the document NER readers `bio_pubtator`,
`bio_brat`, `bio_bioc` (BioC XML or JSON) and `bio_ddi_xml` (DDI-2013 drugs), which read through
`allennlp_bioelmo.documents` and count every mention in `statistics`, `bio_relation`,
`bio_document_relation` (relations from annotated documents), `bio_nli`.
Their shared rules for bad input are in `reader_utils`.
"""

from allennlp_bioelmo.data.dataset_readers.bio_bioc import BioBiocDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_brat import BioBratDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_conll import BioConllDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_ddi_xml import BioDdiXmlDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_document_relation import (
    BioDocumentRelationDatasetReader,
)
from allennlp_bioelmo.data.dataset_readers.bio_nli import BioNliDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_pubtator import BioPubtatorDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_relation import BioRelationDatasetReader
