"""The `entity_f1` and `label_f1` metrics; importing this package registers them."""

from allennlp_bioelmo.training.metrics.entity_f1 import EntityF1
from allennlp_bioelmo.training.metrics.label_f1 import LabelF1
