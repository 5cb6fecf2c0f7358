"""The task models: a CRF tagger for NER, and relation and NLI classifiers."""

from allennlp_bioelmo.models.bio_crf_tagger import BioCrfTagger
from allennlp_bioelmo.models.bio_nli_classifier import BioNliClassifier
from allennlp_bioelmo.models.bio_relation_classifier import BioRelationClassifier
