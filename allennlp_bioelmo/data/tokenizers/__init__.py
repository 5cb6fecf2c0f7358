"""
Offline tokenization: the `bio_regex` tokenizer and the `bio_rule` sentence splitter.
"""

from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter
