from typing import Optional, Tuple

import torch
from allennlp.data import TextFieldTensors
from allennlp.modules import Seq2SeqEncoder, TextFieldEmbedder
from allennlp.nn import util


def embed_and_encode(
    text_field_embedder: TextFieldEmbedder, encoder: Optional[Seq2SeqEncoder], tokens: TextFieldTensors
) -> Tuple[torch.Tensor, torch.BoolTensor]:
    """Token vectors `(batch, length, dim)` (through the encoder when there is one) and the mask."""
    mask = util.get_text_field_mask(tokens)
    encoded = text_field_embedder(tokens)
    if encoder is not None:
        encoded = encoder(encoded, mask)
    return encoded, mask
