"""bioelmo-perplexity, bioelmo-finetune and the language model behind them, on tiny models."""

import json
import math
import os

import h5py
import numpy
import pytest
import torch

from allennlp_bioelmo.language_model.training import finetune, learning_rate_factor
from allennlp_bioelmo.language_model.evaluation import perplexity
from tests import FIXTURES
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.testing.bilm_fixtures import SMALL_OPTIONS
from tests.commands.cli import allennlp_in_process
from tests.modules.bilm_test_utils import char_ids

VOCABULARY = ["<S>", "</S>", "<UNK>", "the", "gene", "p53", "binds", "DNA", "."]
TEXT = ["the gene binds DNA .", "p53 binds DNA .", "the p53 gene .", "p53 binds the gene ."] * 4


@pytest.fixture
def files(tmp_path):
    (tmp_path / "vocab.txt").write_text("\n".join(VOCABULARY) + "\n")
    (tmp_path / "train.txt").write_text("\n".join(TEXT) + "\n")
    (tmp_path / "options.json").write_text(json.dumps(SMALL_OPTIONS))
    return tmp_path


def test_perplexity_equals_a_hand_computation():
    torch.manual_seed(1)
    model = BiLmLanguageModel(BiLmOptions.from_dict(SMALL_OPTIONS), VOCABULARY)
    torch.nn.init.normal_(model.softmax_weight, std=0.5)
    sentences = [["the", "gene", "binds"], ["p53", "unknownword"]]
    result = perplexity(model, sentences, batch_size=1)
    # by hand: log-softmax of the top layer's halves, forward predicts the next token, backward the
    # previous
    weight, bias = model.softmax_weight.detach().numpy(), model.softmax_bias.detach().numpy()
    forward_nll, backward_nll, count = 0.0, 0.0, 0
    with torch.no_grad():
        for sentence in sentences:
            top = model.bilm(char_ids([sentence]))["activations"][-1][0].numpy()
            ids = [0] + [VOCABULARY.index(w) if w in VOCABULARY else 2 for w in sentence] + [1]
            for position in range(len(ids) - 1):
                logits = top[position, :16] @ weight.T + bias
                forward_nll -= logits[ids[position + 1]] - numpy.log(numpy.exp(logits).sum())
                logits = top[position + 1, 16:] @ weight.T + bias
                backward_nll -= logits[ids[position]] - numpy.log(numpy.exp(logits).sum())
                count += 1
    assert result["tokens"] == count == 7
    assert result["forward"] == pytest.approx(math.exp(forward_nll / count), rel=1e-5)
    assert result["backward"] == pytest.approx(math.exp(backward_nll / count), rel=1e-5)


def test_finetuning_lowers_training_perplexity_and_exports_a_loadable_bilm(files):
    vocab, train, options = (
        str(files / "vocab.txt"),
        str(files / "train.txt"),
        str(files / "options.json"),
    )
    torch.manual_seed(0)
    before = perplexity(
        BiLmLanguageModel.from_files(options, VOCABULARY), [s.split() for s in TEXT]
    )
    result = finetune(
        options,
        vocab,
        train,
        str(files / "out"),
        epochs=20,
        batch_size=4,
        learning_rate=0.01,
        num_samples=4,
        checkpoint_every=10,
        validation_file=train,
        warmup_steps=5,
        lr_schedule="linear",
    )
    assert result["steps"] == 80 and result["tokens_per_second"] > 0
    assert result["validation_forward_perplexity"] < 0.7 * before["forward"]
    assert result["validation_backward_perplexity"] < 0.7 * before["backward"]
    # the metrics log has the loss every log_every steps and a validation after each of the 20
    # epochs
    records = [
        json.loads(line) for line in (files / "out" / "metrics.jsonl").read_text().splitlines()
    ]
    validations = [r for r in records if "validation_forward_perplexity" in r]
    assert [r["step"] for r in validations] == list(range(4, 81, 4))
    assert validations[-1]["validation_forward_perplexity"] == pytest.approx(
        result["validation_forward_perplexity"], rel=1e-5
    )
    assert any("loss" in r for r in records) and records[0]["event"] == "start"

    # the export reproduces the trained biLM, loaded the way the bioelmo embedder loads it
    exported = BiLm.from_files(
        str(files / "out" / "options.json"), str(files / "out" / "weights.hdf5")
    )
    trained = BiLmLanguageModel.from_files(str(files / "out" / "options.json"), VOCABULARY)
    trained.load_state_dict(
        torch.load(files / "out" / "checkpoint.th", weights_only=False)["model"]
    )
    ids = char_ids([s.split() for s in TEXT[:4]])
    with torch.no_grad():
        for a, b in zip(trained.bilm(ids)["activations"], exported(ids)["activations"]):
            assert float((a - b).abs().max()) <= 1e-5
    again = perplexity(
        BiLmLanguageModel.from_files(
            str(files / "out" / "options.json"),
            VOCABULARY,
            str(files / "out" / "weights.hdf5"),
            str(files / "out" / "softmax.hdf5"),
        ),
        [s.split() for s in TEXT],
    )
    assert again["forward"] == pytest.approx(result["validation_forward_perplexity"], rel=1e-4)


def test_learning_rate_schedules():
    assert [learning_rate_factor(s, 10, 2, "linear") for s in (0, 1, 2, 6, 10)] == [
        0.5,
        1.0,
        1.0,
        0.5,
        0.0,
    ]
    assert [learning_rate_factor(s, 10, 0, "constant") for s in (0, 9)] == [1.0, 1.0]
    with pytest.raises(ValueError, match="unknown learning-rate schedule 'cosine'"):
        learning_rate_factor(3, 10, 0, "cosine")


def test_resume_continues_from_the_last_checkpoint(files, capsys):
    vocab, train, options = (
        str(files / "vocab.txt"),
        str(files / "train.txt"),
        str(files / "options.json"),
    )
    kwargs = dict(batch_size=4, learning_rate=0.01, num_samples=4, checkpoint_every=2, epochs=2)
    finetune(
        options, vocab, train, str(files / "interrupted"), max_steps=4, **kwargs
    )  # "killed" after step 4
    resumed = finetune(options, vocab, train, str(files / "interrupted"), max_steps=6, **kwargs)
    assert "resuming from step 4" in capsys.readouterr().out
    straight = finetune(options, vocab, train, str(files / "straight"), max_steps=6, **kwargs)
    assert resumed["steps"] == straight["steps"] == 6
    with (
        h5py.File(files / "interrupted" / "weights.hdf5", "r") as a,
        h5py.File(files / "straight" / "weights.hdf5", "r") as b,
    ):
        for name in ("char_embed", "RNN_0/RNN/MultiRNNCell/Cell1/LSTMCell/W_0"):
            numpy.testing.assert_allclose(a[name][...], b[name][...], atol=1e-6)


@pytest.fixture
def converted(tmp_path):
    """
    The TensorFlow-written fixture checkpoint converted through the CLI, with a vocabulary and text.
    """
    options = os.path.join(FIXTURES, "tf_checkpoint", "options.json")
    weights = tmp_path / "weights.hdf5"
    allennlp_in_process(
        "bioelmo-convert", os.path.join(FIXTURES, "tf_checkpoint"), options, str(weights)
    )
    vocab = tmp_path / "vocab.txt"
    vocab.write_text(
        "\n".join(["<S>", "</S>", "<UNK>", "the", "gene", "p53", "binds", "DNA", ".", "cells"])
        + "\n"
    )
    text = tmp_path / "text.txt"
    text.write_text("the gene binds DNA .\np53 cells .\n")
    return {
        "options": options,
        "weights": str(weights),
        "softmax": str(tmp_path / "weights.softmax.hdf5"),
        "vocab": str(vocab),
        "text": str(text),
        "sentences": [["the", "gene", "binds", "DNA", "."], ["p53", "cells", "."]],
        "vocabulary": vocab.read_text().split(),
    }


def test_perplexity_of_the_converted_tensorflow_checkpoint_through_the_cli(converted, capsys):
    capsys.readouterr()
    allennlp_in_process(
        "bioelmo-perplexity",
        converted["text"],
        "--options-file",
        converted["options"],
        "--vocab-file",
        converted["vocab"],
        "--weight-file",
        converted["weights"],
        "--softmax-file",
        converted["softmax"],
    )
    printed = capsys.readouterr().out
    assert "forward perplexity" in printed and "(10 predicted tokens per direction)" in printed


def test_finetune_the_converted_tensorflow_checkpoint_through_the_cli(converted, tmp_path):
    model = BiLmLanguageModel.from_files(
        converted["options"], converted["vocabulary"], converted["weights"], converted["softmax"]
    )
    before = perplexity(model, converted["sentences"])
    allennlp_in_process(
        "bioelmo-finetune",
        converted["text"],
        str(tmp_path / "tuned"),
        "--options-file",
        converted["options"],
        "--vocab-file",
        converted["vocab"],
        "--weight-file",
        converted["weights"],
        "--softmax-file",
        converted["softmax"],
        "--epochs",
        "30",
        "--batch-size",
        "2",
        "--learning-rate",
        "0.01",
        "--num-samples",
        "5",
    )
    tuned = BiLmLanguageModel.from_files(
        str(tmp_path / "tuned" / "options.json"),
        converted["vocabulary"],
        str(tmp_path / "tuned" / "weights.hdf5"),
        str(tmp_path / "tuned" / "softmax.hdf5"),
    )
    after = perplexity(tuned, converted["sentences"])
    assert after["forward"] < before["forward"] and after["backward"] < before["backward"]
