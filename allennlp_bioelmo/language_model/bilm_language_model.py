"""
The BioELMo biLM as a language model: `BiLm` plus a softmax over the vocabulary shared by both
directions (as in bilm-tf). Sentence-level and stateless: every sentence is read between `<S>`
and `</S>`; the forward LM predicts each next token (the last prediction is `</S>`), the backward
LM each previous one (the last is `<S>`). Training uses a sampled softmax (log-uniform negatives,
the sampler bilm-tf uses, with TensorFlow's log-expected-count correction); evaluation the full one.
"""

import json
import math
import os
import shutil
from typing import Dict, List, Optional, Tuple

import torch

from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.file_formats.bilm_weights import (
    bilm_state_to_tf_arrays,
    load_bilm_tf_weights,
    read_softmax_weights,
    write_bilm_tf_weights,
)
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions


def log_uniform_probabilities(ids: torch.Tensor, vocab_size: int) -> torch.Tensor:
    """P(id) of the log-uniform (Zipfian) distribution over ids sorted by descending frequency."""
    ids = ids.double()
    return (torch.log(ids + 2) - torch.log(ids + 1)) / math.log(vocab_size + 1)


def log_uniform_candidates(
    vocab_size: int, num_samples: int, device: Optional[torch.device] = None
) -> Tuple[torch.Tensor, int]:
    """
    `num_samples` *distinct* ids drawn from the log-uniform distribution, as TensorFlow's
    `log_uniform_candidate_sampler(unique=True)` (bilm-tf's sampler): ids are drawn with
    replacement until `num_samples` distinct ones have appeared. Returns them in order of first
    appearance and the number of draws it took, which `log_expected_count` needs.
    """
    if not 0 < num_samples <= vocab_size:
        raise ValueError(
            f"cannot draw {num_samples} distinct ids from a vocabulary of {vocab_size}"
        )
    log_range = math.log(vocab_size + 1)
    draws = torch.empty(0, dtype=torch.long)
    chunk = 2 * num_samples
    while True:
        uniform = torch.rand(chunk, dtype=torch.float64)
        new = (torch.exp(uniform * log_range) - 1).long().clamp_(0, vocab_size - 1)
        draws = torch.cat([draws, new])
        distinct, inverse = torch.unique(draws, return_inverse=True)
        if distinct.numel() >= num_samples:
            break
        chunk *= 2
    # position of each distinct id's first draw; the sample ends at the num_samples-th new id
    first = torch.full((distinct.numel(),), draws.numel(), dtype=torch.long)
    first.scatter_reduce_(0, inverse, torch.arange(draws.numel()), reduce="amin")
    first_sorted, order = torch.sort(first)
    num_tries = int(first_sorted[num_samples - 1]) + 1
    return distinct[order[:num_samples]].to(device), num_tries


def log_expected_count(ids: torch.Tensor, vocab_size: int, num_tries: int) -> torch.Tensor:
    """
    log of the expected number of times `ids` appear in a unique log-uniform sample that took
    `num_tries` draws: `log(1 - (1 - p)^num_tries)`, TensorFlow's correction for unique sampling.
    """
    probability = log_uniform_probabilities(ids, vocab_size)
    return torch.log(-torch.expm1(num_tries * torch.log1p(-probability))).float()


class BiLmLanguageModel(torch.nn.Module):
    """
    # Parameters

    options : `BiLmOptions`
    vocabulary : `List[str]`
        One token per id, the released vocabulary format (must contain `<S>`, `</S>`, `<UNK>`).
    """

    def __init__(self, options: BiLmOptions, vocabulary: List[str]) -> None:
        super().__init__()
        missing = [t for t in ("<S>", "</S>", "<UNK>") if t not in vocabulary]
        if missing:
            raise ValueError(f"the vocabulary lacks {missing}")
        self.options = options
        self.vocabulary = list(vocabulary)
        self.token_to_id = {token: i for i, token in enumerate(self.vocabulary)}
        self.bilm = BiLm(options)
        self.softmax_weight = torch.nn.Parameter(
            torch.randn(len(vocabulary), options.projection_dim) * 0.01
        )
        self.softmax_bias = torch.nn.Parameter(torch.zeros(len(vocabulary)))

    @classmethod
    def from_files(
        cls,
        options_file: str,
        vocabulary: List[str],
        weight_file: Optional[str] = None,
        softmax_file: Optional[str] = None,
    ) -> "BiLmLanguageModel":
        """
        The model of released files; without `weight_file`/`softmax_file` those parts are random.
        """
        options = BiLmOptions.from_file(options_file)
        model = cls(options, vocabulary)
        if weight_file:
            model.bilm.load_state_dict(load_bilm_tf_weights(weight_file, options))
        if softmax_file:
            weight, bias = read_softmax_weights(
                softmax_file, len(vocabulary), options.projection_dim
            )
            model.softmax_weight.data.copy_(torch.from_numpy(weight))
            model.softmax_bias.data.copy_(torch.from_numpy(bias))
        return model

    # ---- batches ------------------------------------------------------------------------------

    def batch(self, sentences: List[List[str]]) -> Dict[str, torch.Tensor]:
        """
        Character ids and the forward/backward target ids of whitespace-tokenized sentences, on
        the model's device.
        """
        unknown = self.token_to_id["<UNK>"]
        character_ids = batch_to_ids(sentences, self.options.max_characters_per_token)
        width = character_ids.shape[1]
        # targets per position of the boundary-extended sequence (0 = <S> ... n + 1 = </S>),
        # -1 where there is none
        forward = torch.full((len(sentences), width + 2), -1, dtype=torch.long)
        backward = torch.full((len(sentences), width + 2), -1, dtype=torch.long)
        for row, sentence in enumerate(sentences):
            token_ids = torch.tensor(
                [self.token_to_id["<S>"]]
                + [self.token_to_id.get(token, unknown) for token in sentence]
                + [self.token_to_id["</S>"]]
            )
            n = len(sentence)
            forward[row, : n + 1] = token_ids[1:]
            backward[row, 1 : n + 2] = token_ids[:-1]
        device = self.softmax_weight.device
        return {
            "character_ids": character_ids.to(device),
            "forward_targets": forward.to(device),
            "backward_targets": backward.to(device),
        }

    # ---- losses -------------------------------------------------------------------------------

    def _top_states(self, character_ids: torch.Tensor):
        top = self.bilm(character_ids)["activations"][-1]  # (batch, T + 2, 2 * proj)
        proj = self.options.projection_dim
        return top[..., :proj], top[..., proj:]

    def forward(
        self,
        character_ids: torch.Tensor,
        forward_targets: torch.Tensor,
        backward_targets: torch.Tensor,
        num_samples: int = 0,
    ) -> Dict[str, torch.Tensor]:
        """
        Mean negative log-likelihood per predicted token of each direction: full softmax when
        `num_samples` is 0, sampled softmax with that many log-uniform negatives otherwise.
        """
        forward_states, backward_states = self._top_states(character_ids)
        result = {}
        for name, states, targets in (
            ("forward", forward_states, forward_targets),
            ("backward", backward_states, backward_targets),
        ):
            chosen = targets >= 0
            hidden, gold = states[chosen], targets[chosen]
            if num_samples:
                nll = self.sampled_nll(hidden, gold, num_samples)
            else:
                logits = torch.nn.functional.linear(hidden, self.softmax_weight, self.softmax_bias)
                nll = torch.nn.functional.cross_entropy(logits, gold, reduction="none")
            result[f"{name}_nll"] = nll.sum()
            result[f"{name}_tokens"] = chosen.sum()
        result["loss"] = (result["forward_nll"] + result["backward_nll"]) / (
            result["forward_tokens"] + result["backward_tokens"]
        ).clamp(min=1)
        return result

    def sampled_nll(
        self, hidden: torch.Tensor, gold: torch.Tensor, num_samples: int
    ) -> torch.Tensor:
        """
        Per-token sampled-softmax negative log-likelihood of `gold` ids given `hidden` states: the
        gold logit against `num_samples` distinct log-uniform negatives, every logit corrected by
        the log of its expected count (`log_expected_count`), accidental hits of the gold removed.
        """
        vocab = len(self.vocabulary)
        sampled, num_tries = log_uniform_candidates(vocab, num_samples, device=hidden.device)

        def log_expected(ids: torch.Tensor) -> torch.Tensor:
            return log_expected_count(ids, vocab, num_tries).to(hidden.dtype)

        true_logit = (
            (hidden * self.softmax_weight[gold]).sum(-1)
            + self.softmax_bias[gold]
            - log_expected(gold)
        )
        sampled_logits = (
            hidden @ self.softmax_weight[sampled].t()
            + self.softmax_bias[sampled]
            - log_expected(sampled)
        )
        accidental_hits = sampled.unsqueeze(0) == gold.unsqueeze(1)
        sampled_logits = sampled_logits.masked_fill(accidental_hits, -1e30)
        logits = torch.cat([true_logit.unsqueeze(1), sampled_logits], dim=1)
        return -torch.log_softmax(logits, dim=1)[:, 0]

    # ---- export -------------------------------------------------------------------------------

    def save_released_files(self, output_dir: str) -> None:
        """
        The released format in `output_dir`: `weights.hdf5` (bilm-tf `dump_weights` layout),
        `softmax.hdf5` (`W`, `b`), `options.json` and `vocab.txt`, which the `bioelmo` embedder,
        `bioelmo-perplexity` and `bioelmo-finetune` load.
        """
        os.makedirs(output_dir, exist_ok=True)
        arrays = bilm_state_to_tf_arrays(self.bilm.state_dict(), self.options)
        write_bilm_tf_weights(os.path.join(output_dir, "weights.hdf5"), arrays)
        softmax = {
            "W": self.softmax_weight.detach().cpu().numpy(),
            "b": self.softmax_bias.detach().cpu().numpy(),
        }
        write_bilm_tf_weights(os.path.join(output_dir, "softmax.hdf5"), softmax)
        options = {**self.options.to_dict(), "n_tokens_vocab": len(self.vocabulary)}
        with open(os.path.join(output_dir, "options.json"), "w", encoding="utf-8") as handle:
            json.dump(options, handle, indent=2)
        vocab_file = os.path.join(output_dir, "vocab.txt")
        with open(vocab_file + ".partial", "w", encoding="utf-8") as handle:
            handle.write("\n".join(self.vocabulary) + "\n")
        shutil.move(vocab_file + ".partial", vocab_file)
