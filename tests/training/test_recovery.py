"""
`allennlp train -r` after a kill: every scenario kills the real `allennlp train` process with
SIGKILL at an exact point (tests/training/kill_switch.py), so no test passes or fails by timing,
then recovers and checks that the run ends exactly where the uninterrupted one did: the same
weights, bit for bit, and the same metrics.
"""

import json
import shutil

import pytest
import torch

from tests.commands.cli import NER_CONFIG, allennlp

EPOCHS = "4"
KILL_SWITCH = ("--include-package", "tests.training.kill_switch")
SIGKILL_EXIT = -9


def train(serialization_dir, *extra, env=None, check=True):
    """`allennlp train`; returns the process result and its log (INFO goes to stdout)."""
    result = allennlp(
        "train",
        NER_CONFIG,
        "-s",
        str(serialization_dir),
        *extra,
        env={"NER_EPOCHS": EPOCHS, **(env or {})},
        check=check,
    )
    return result, result.stdout + result.stderr


def killed_run(serialization_dir, *extra, **kill):
    """`allennlp train` killed by the kill switch; `kill` sets its environment variables."""
    result, log = train(serialization_dir, *extra, *KILL_SWITCH, env=kill, check=False)
    assert result.returncode == SIGKILL_EXIT, log[-3000:]
    assert not (serialization_dir / "model.tar.gz").exists()


def comparable(metrics):
    """The metrics that do not measure time or memory."""
    return {
        key: value
        for key, value in metrics.items()
        if "duration" not in key and not key.endswith("memory_MB")
    }


def assert_same_run(resumed, reference):
    resumed_metrics = json.loads((resumed / "metrics.json").read_text())
    reference_metrics = json.loads((reference / "metrics.json").read_text())
    assert comparable(resumed_metrics) == comparable(reference_metrics)
    assert resumed_metrics.keys() == reference_metrics.keys()
    resumed_weights = torch.load(resumed / "best.th")
    reference_weights = torch.load(reference / "best.th")
    assert resumed_weights.keys() == reference_weights.keys()
    for name, tensor in reference_weights.items():
        assert torch.equal(resumed_weights[name], tensor), name


def files_and_contents(directory):
    return {
        path.relative_to(directory): path.read_bytes()
        for path in directory.rglob("*")
        if path.is_file() and path.name != "out.log"
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted run."""
    serialization_dir = tmp_path_factory.mktemp("recovery") / "uninterrupted"
    train(serialization_dir)
    return serialization_dir


def test_a_kill_between_the_two_checkpoint_files_is_recovered(reference, tmp_path):
    run = tmp_path / "run"
    killed_run(run, BIOELMO_KILL_AFTER_FILE="model_state_e2_b0.th")
    assert (run / "model_state_e2_b0.th").exists()
    assert not (run / "training_state_e2_b0.th").exists()  # the orphan half

    _, log = train(run, "-r")
    assert "Removing " + str(run / "model_state_e2_b0.th") in log
    assert "its training_state file is missing" in log
    assert (
        "Resuming after epoch 0 from the checkpoint model_state_e1_b0.th + training_state_e1_b0.th"
        in log
    )
    assert_same_run(run, reference)


def test_a_kill_before_best_th_is_written_is_recovered(reference, tmp_path):
    # The checkpoint of an epoch is written before its best.th: kill in between, after the
    # last epoch that improved the validation metric (past the first, where there is one).
    improved = [
        epoch
        for epoch in range(int(EPOCHS) - 1)
        if json.loads((reference / f"metrics_epoch_{epoch}.json").read_text())["best_epoch"]
        == epoch
    ]
    epoch = improved[-1]
    run = tmp_path / "run"
    killed_run(run, BIOELMO_KILL_AFTER_FILE=f"training_state_e{epoch + 1}_b0.th")

    _, log = train(run, "-r")
    assert f"Wrote {run / 'best.th'} from the restored checkpoint (its epoch, {epoch}" in log
    assert_same_run(run, reference)


def test_a_kill_in_the_middle_of_an_epoch_is_recovered(reference, tmp_path):
    run = tmp_path / "run"
    killed_run(run, BIOELMO_KILL_AT_BATCH="2:0")
    assert (run / "metrics_epoch_1.json").exists() and not (run / "metrics_epoch_2.json").exists()
    finished_epoch = (run / "metrics_epoch_1.json").stat().st_mtime_ns

    _, log = train(run, "-r")
    assert "Resuming after epoch 1 from the checkpoint model_state_e2_b0.th" in log
    assert (run / "metrics_epoch_1.json").stat().st_mtime_ns == finished_epoch  # not redone
    assert_same_run(run, reference)


# Batches of 4 sentences (8 per epoch on the fixture corpus) and a checkpoint after every batch.
MID_EPOCH_CHECKPOINTS = (
    "-o",
    json.dumps(
        {
            "data_loader.batch_sampler.batch_size": 4,
            "trainer.checkpointer": {"save_every_num_batches": 1},
        }
    ),
)


def test_a_kill_after_a_checkpoint_in_the_middle_of_an_epoch_is_recovered(tmp_path):
    reference = tmp_path / "uninterrupted"
    train(reference, *MID_EPOCH_CHECKPOINTS)
    assert (reference / "metrics_epoch_3.json").exists()
    run = tmp_path / "run"
    killed_run(run, *MID_EPOCH_CHECKPOINTS, BIOELMO_KILL_AT_BATCH="1:2")
    assert (run / "training_state_e1_b2.th").exists()

    _, log = train(run, *MID_EPOCH_CHECKPOINTS, "-r")
    assert "Resuming at batch 2 of epoch 1 from the checkpoint model_state_e1_b2.th" in log
    # The weights and the last epoch's metrics are the uninterrupted run's; only epoch 1's
    # training metrics count fewer batches (AllenNLP keeps those sums out of checkpoints).
    assert_same_run(run, reference)


def test_a_run_killed_after_its_last_epoch_with_an_orphan_is_recovered(reference, tmp_path):
    # The recipe: the last checkpoint's training state is gone, so the last epoch is
    # trained again, and the run is finished (test metrics, archive) as if never interrupted.
    run = tmp_path / "run"
    killed_run(run, BIOELMO_KILL_AFTER_FILE="metrics.json")
    (run / "metrics.json").unlink()
    (run / f"training_state_e{EPOCHS}_b0.th").unlink()

    _, log = train(run, "-r")
    assert f"Resuming after epoch {int(EPOCHS) - 2}" in log
    assert (run / "model.tar.gz").exists()
    assert_same_run(run, reference)


def test_a_run_killed_while_it_was_being_archived_is_finished(reference, tmp_path):
    run = tmp_path / "run"
    killed_run(run, BIOELMO_KILL_AFTER_FILE="metrics.json")

    _, log = train(run, "-r")
    assert "No epoch left to train: the final metrics are those of" in log
    assert (run / "model.tar.gz").exists()
    assert_same_run(run, reference)


def test_recovering_a_finished_run_changes_nothing(reference, tmp_path):
    run = tmp_path / "finished"
    shutil.copytree(reference, run)
    before = files_and_contents(run)

    _, log = train(run, "-r")
    assert "holds a finished run (model.tar.gz and metrics.json): nothing to recover" in log
    after = files_and_contents(run)
    assert after.keys() == before.keys()
    assert [name for name in before if after[name] != before[name]] == []


def test_recovering_a_finished_run_with_another_config_is_refused(reference, tmp_path):
    run = tmp_path / "finished"
    shutil.copytree(reference, run)
    result, log = train(run, "-r", env={"NER_EPOCHS": "5"}, check=False)
    assert result.returncode != 0
    assert "Training configuration does not match the configuration we're recovering from" in log
