"""
Full-softmax perplexity of a biLM language model, per direction.
"""

import math
from typing import Dict, List

import torch
from tqdm import tqdm

from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel


def perplexity(
    model: BiLmLanguageModel, sentences: List[List[str]], batch_size: int = 32
) -> Dict[str, float]:
    """exp(mean negative log-likelihood per predicted token), full softmax, per direction."""
    keys = ("forward_nll", "backward_nll", "forward_tokens", "backward_tokens")
    device = model.softmax_weight.device
    # summed on the model's device in float64 and read once at the end: no host sync per batch
    sums = torch.zeros(len(keys), dtype=torch.float64, device=device)
    model.eval()
    with torch.no_grad():
        for start in tqdm(range(0, len(sentences), batch_size), desc="perplexity", unit="batch"):
            output = model(**model.batch(sentences[start : start + batch_size]))
            sums += torch.stack([output[key].double() for key in keys])
    totals = dict(zip(keys, sums.tolist()))
    return {
        "forward": math.exp(totals["forward_nll"] / totals["forward_tokens"]),
        "backward": math.exp(totals["backward_nll"] / totals["backward_tokens"]),
        "tokens": int(totals["forward_tokens"]),
    }
