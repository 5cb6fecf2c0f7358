"""
The biLM as a language model: the softmax on top of `BiLm`, its sampled-softmax training and its
perplexity.
"""

from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel  # noqa: F401
from allennlp_bioelmo.language_model.evaluation import perplexity  # noqa: F401
from allennlp_bioelmo.language_model.training import (  # noqa: F401
    FinetuneSettings,
    finetune,
    run_finetune,
)
