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
    totals = {"forward_nll": 0.0, "backward_nll": 0.0, "forward_tokens": 0, "backward_tokens": 0}
    model.eval()
    with torch.no_grad():
        for start in tqdm(range(0, len(sentences), batch_size), desc="perplexity", unit="batch"):
            output = model(**model.batch(sentences[start : start + batch_size]))
            for key in totals:
                totals[key] += output[key].item()
    return {
        "forward": math.exp(totals["forward_nll"] / totals["forward_tokens"]),
        "backward": math.exp(totals["backward_nll"] / totals["backward_tokens"]),
        "tokens": int(totals["forward_tokens"]),
    }
