"""`bioelmo-finetune` writes its metrics log's scalars as TensorBoard events beside it."""

import json

import pytest

from allennlp_bioelmo.language_model.training import finetune
from allennlp_bioelmo.testing.bilm_fixtures import SMALL_OPTIONS
from tests.analysis.tensorboard_events import read_scalars

VOCABULARY = "<S>\n</S>\n<UNK>\nthe\ngene\nbinds\nDNA\n.\n"
TEXT = "the gene binds DNA .\nthe DNA .\n" * 2  # 4 sentences


def write_inputs(directory):
    (directory / "vocab.txt").write_text(VOCABULARY)
    (directory / "train.txt").write_text(TEXT)
    (directory / "heldout.txt").write_text("the gene binds DNA .\n")
    (directory / "options.json").write_text(json.dumps(SMALL_OPTIONS))
    return [str(directory / name) for name in ("options.json", "vocab.txt", "train.txt")]


def log_records(output):
    return [json.loads(line) for line in (output / "metrics.jsonl").read_text().splitlines()]


def test_event_file_holds_the_logged_scalars(tmp_path):
    output = tmp_path / "out"
    heldout = str(tmp_path / "heldout.txt")
    settings = dict(batch_size=2, num_samples=3, log_every=1, warmup_steps=2, validate_every=1)
    finetune(*write_inputs(tmp_path), str(output), epochs=1, validation_file=heldout, **settings)
    scalars = read_scalars(str(output))
    records = log_records(output)
    expected = {
        "train/loss": "loss",
        "train/learning_rate": "learning_rate",
        "train/tokens_per_second": "tokens_per_second",
        "validation/forward_perplexity": "validation_forward_perplexity",
        "validation/backward_perplexity": "validation_backward_perplexity",
    }
    assert set(scalars) == set(expected)
    for tag, key in expected.items():
        # the start record's learning rate is the setting, not a measurement
        logged = [(r["step"], r[key]) for r in records if key in r and "event" not in r]
        assert [step for step, _ in scalars[tag]] == [step for step, _ in logged], tag
        for (_, value), (_, want) in zip(scalars[tag], logged):
            assert abs(value - want) <= 1e-5 * max(1.0, abs(want)), tag  # float32 in the event
    assert [step for step, _ in scalars["train/loss"]] == [1, 2]
    assert [step for step, _ in scalars["validation/forward_perplexity"]] == [1, 2]
    assert scalars["train/learning_rate"][0][1] == pytest.approx(0.0005)  # warm-up: 1/2 of 0.001


def test_resumed_run_appends_a_new_event_file_and_no_tensorboard_writes_none(tmp_path):
    output = tmp_path / "out"
    files = write_inputs(tmp_path)
    finetune(*files, str(output), epochs=1, batch_size=4, num_samples=3, log_every=1)
    finetune(*files, str(output), epochs=2, batch_size=4, num_samples=3, log_every=1)
    assert len(list(output.glob("events.out.tfevents.*"))) == 2
    assert [step for step, _ in read_scalars(str(output))["train/loss"]] == [1, 2]

    quiet = tmp_path / "quiet"
    finetune(*files, str(quiet), epochs=1, batch_size=4, num_samples=3, tensorboard=False)
    assert not list(quiet.glob("events.out.tfevents.*"))
    assert (quiet / "metrics.jsonl").exists()
