"""
allennlp-bioelmo: BioELMo for AllenNLP. Importing the package registers every component.
"""

# Compatibility fixes first: they patch AllenNLP 2.10.1 for torch 2.x / numpy 2 / Python 3.11.
from allennlp_bioelmo import compat  # noqa: F401
from allennlp_bioelmo.common.config_variables import set_config_variable_defaults
from allennlp_bioelmo.version import VERSION  # noqa: F401

set_config_variable_defaults()

from allennlp_bioelmo.data import token_indexers  # noqa: E402,F401
from allennlp_bioelmo.modules import token_embedders  # noqa: E402,F401
from allennlp_bioelmo import commands  # noqa: E402,F401
from allennlp_bioelmo.data import dataset_readers, tokenizers  # noqa: E402,F401
from allennlp_bioelmo.training import metrics  # noqa: E402,F401
from allennlp_bioelmo import models, predictors  # noqa: E402,F401
