"""
The dataset readers: `bio_conll`, `bio_pubtator`, `bio_brat` (NER), `bio_relation`, `bio_nli`.
Their shared rules for bad input are in `reader_utils`.
"""

from allennlp_bioelmo.data.dataset_readers.bio_brat import BioBratDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_conll import BioConllDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_nli import BioNliDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_pubtator import BioPubtatorDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_relation import BioRelationDatasetReader
