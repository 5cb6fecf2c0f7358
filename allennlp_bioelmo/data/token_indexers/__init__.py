"""
The `bioelmo_characters` token indexer.
"""

from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoTokenCharactersIndexer
