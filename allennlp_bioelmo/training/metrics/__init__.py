from allennlp_bioelmo.training.metrics.entity_f1 import EntityF1
