"""The `bioelmo` and `bioelmo_cached` token embedders; importing this package registers them."""

from allennlp_bioelmo.modules.token_embedders.bioelmo_cached_token_embedder import (
    BioElmoCachedTokenEmbedder,
)
from allennlp_bioelmo.modules.token_embedders.bioelmo_token_embedder import BioElmoTokenEmbedder
