from typing import Any, Dict, Optional, Tuple

import torch
from allennlp.data import TextFieldTensors, Vocabulary
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


def add_labels_and_probabilities(output_dict: Dict[str, Any], vocab: Vocabulary, namespace: str) -> Dict[str, Any]:
    """For classifiers: `label` (the most probable) and `class_probabilities` (label -> p) per row."""
    probabilities = output_dict["probs"]
    if probabilities.dim() == 1:
        probabilities = probabilities.unsqueeze(0)
    labels = vocab.get_index_to_token_vocabulary(namespace)
    output_dict["label"] = [labels[int(row.argmax())] for row in probabilities]
    output_dict["class_probabilities"] = [{labels[i]: float(p) for i, p in enumerate(row)} for row in probabilities]
    return output_dict
