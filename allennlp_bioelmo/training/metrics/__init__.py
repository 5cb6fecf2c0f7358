from allennlp_bioelmo.training.metrics.entity_f1 import EntityF1
from allennlp_bioelmo.training.metrics.label_f1 import LabelF1
