"""The sampled softmax of `BiLmLanguageModel`: its sampler and its gradient."""

import math

import torch

from allennlp_bioelmo.language_model.bilm_language_model import (
    BiLmLanguageModel,
    log_expected_count,
    log_uniform_candidates,
)
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.testing.bilm_fixtures import SMALL_OPTIONS


def test_candidates_are_distinct_and_the_tries_are_counted():
    torch.manual_seed(0)
    for _ in range(20):
        ids, tries = log_uniform_candidates(500, 100)
        assert ids.numel() == 100 == torch.unique(ids).numel()
        assert 0 <= int(ids.min()) and int(ids.max()) < 500
        assert tries >= 100
    # every id of a 5-word vocabulary: the sample is the whole vocabulary
    ids, tries = log_uniform_candidates(5, 5)
    assert sorted(ids.tolist()) == [0, 1, 2, 3, 4]


def test_expected_counts_match_the_empirical_inclusion_rate():
    # For a fixed number of draws T, P(id in sample) = 1 - (1 - p)^T; check it by simulation.
    torch.manual_seed(0)
    vocab, tries, trials = 300, 60, 4000
    log_range = math.log(vocab + 1)
    draws = (torch.exp(torch.rand(trials, tries, dtype=torch.float64) * log_range) - 1).long()
    included = torch.zeros(trials, vocab).scatter_(1, draws, 1.0).mean(0)
    expected = log_expected_count(torch.arange(vocab), vocab, tries).exp()
    assert torch.allclose(included[:20], expected[:20].float(), atol=0.03)


def test_sampled_softmax_gradient_is_unbiased_on_average():
    """
    The Monte-Carlo mean of the sampled-softmax gradient (w.r.t. the hidden states and the softmax
    rows) must approach the full-softmax gradient. Vocabulary 200, Zipf-distributed targets, 100
    negatives, 400 draws: unique sampling with its own correction gives a relative error of 0.011;
    drawing with replacement but correcting as if unique (the old code) gives 0.093.
    """
    torch.manual_seed(0)
    size, num_samples, draws = 200, 100, 400
    vocabulary = ["<S>", "</S>", "<UNK>"] + [f"w{i}" for i in range(size - 3)]
    model = BiLmLanguageModel(BiLmOptions.from_dict(SMALL_OPTIONS), vocabulary)
    model.softmax_weight.data.normal_(std=0.5)
    zipf = 1.0 / torch.arange(1, size + 1, dtype=torch.float64)
    gold = torch.multinomial(zipf / zipf.sum(), 64, replacement=True)
    start = torch.randn(64, model.softmax_weight.shape[1]) * 0.5

    def gradient(nll) -> torch.Tensor:
        hidden = start.clone().requires_grad_(True)
        model.softmax_weight.grad = None
        nll(hidden).mean().backward()
        return torch.cat([hidden.grad.flatten(), model.softmax_weight.grad.flatten()])

    full = gradient(
        lambda hidden: torch.nn.functional.cross_entropy(
            torch.nn.functional.linear(hidden, model.softmax_weight, model.softmax_bias),
            gold,
            reduction="none",
        )
    )
    sampled = (
        sum(
            gradient(lambda hidden: model.sampled_nll(hidden, gold, num_samples))
            for _ in range(draws)
        )
        / draws
    )
    relative_error = float((sampled - full).norm() / full.norm())
    assert relative_error < 0.03, relative_error
