"""
The `entity_f1`, `label_f1` and `document_relation_f1` metrics; importing this package registers
them.
"""

from allennlp_bioelmo.training.metrics.document_relation_f1 import DocumentRelationF1
from allennlp_bioelmo.training.metrics.entity_f1 import EntityF1
from allennlp_bioelmo.training.metrics.label_f1 import LabelF1
