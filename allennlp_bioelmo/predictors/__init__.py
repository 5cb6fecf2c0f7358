"""
The default predictors of the three models: `bio_ner`, `bio_relation`, `bio_nli`.
"""

from allennlp_bioelmo.predictors.bio_ner import BioNerPredictor
from allennlp_bioelmo.predictors.bio_nli import BioNliPredictor
from allennlp_bioelmo.predictors.bio_relation import BioRelationPredictor
