"""
Crash-consistent `allennlp train -r`: a run killed at any moment resumes, and ends where the
uninterrupted run would have ended.

AllenNLP 2.10.1 writes each checkpoint as two files, `model_state_eN_bM.th` then
`training_state_eN_bM.th`, and recovers from the newest *model* state. What goes wrong:

* a kill between the two files leaves a model state without its training state, and every later
  `-r` fails on the missing file (the checkpointer also never rewrites a file that exists);
* a kill between the checkpoint and `best.th` (written after it in the same epoch) leaves `best.th`
  stale or missing, while the restored metric tracker says the checkpointed epoch was the best;
  and a restored trainer forgets `best.th` when the first epoch was the best, so the final model is
  the last epoch's weights instead of the best epoch's;
* the resumed run draws other random numbers (dropout, data order) than the uninterrupted run,
  since the random number generators are not part of the checkpoint;
* `-r` on a finished run, or one killed after its last epoch, rewrites `metrics.json` with only
  the keys of the epochs it trained itself (none).

The functions here are what `allennlp_bioelmo.compat` wraps around AllenNLP's checkpointer,
trainer and `train_model` to fix each of those. A checkpoint is complete when both of its files
exist (each is written atomically); recovery uses the newest complete one, says which, and removes
incomplete halves. The checkpoint's training state also holds the Python, NumPy and torch (and
CUDA) generator states, both at the checkpoint and at the start of its epoch, which are put back
at the same point of the resumed run: the data order of an epoch is drawn from Python's generator
when the epoch starts, dropout from torch's generator at every batch.

Limit: after a checkpoint taken in the middle of an epoch (`save_every_num_batches`), the weights
resume exactly, but that epoch's training metrics (the loss averaged over its batches) count only
the batches trained after the resume, since AllenNLP keeps those sums out of the checkpoint.
"""

import json
import logging
import os
import random
import re
from typing import Any, Dict, List, Optional

import numpy
import torch

from allennlp_bioelmo.common.file_utils import PARTIAL_SUFFIX

logger = logging.getLogger(__name__)

# Keys this plugin adds to AllenNLP's training state.
RNG_STATES_KEY = "bioelmo_rng_states"
EPOCH_START_RNG_STATES_KEY = "bioelmo_epoch_start_rng_states"

FINISHED_RUN_FILES = ("model.tar.gz", "metrics.json")
BEST_MODEL_FILE = "best.th"

_CHECKPOINT_FILE = re.compile(r"^(model_state|training_state)_e(\d+)_b(\d+)(_w\d+)?\.th$")


# ---- random number generators ------------------------------------------------------------------


def capture_rng_states() -> Dict[str, Any]:
    """
    The states of Python's, NumPy's and torch's global generators (and CUDA's, where CUDA is in
    use), in types that `torch.load(weights_only=True)` accepts.
    """
    name, keys, position, has_gauss, cached_gaussian = numpy.random.get_state()
    states: Dict[str, Any] = {
        "python": random.getstate(),
        "numpy": (name, keys.tolist(), position, has_gauss, cached_gaussian),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states["cuda"] = torch.cuda.get_rng_state_all()
    return states


def restore_rng_states(states: Dict[str, Any]) -> None:
    """Put back the generator states of `capture_rng_states`."""
    version, internal, gauss = states["python"]
    random.setstate((version, tuple(internal), gauss))
    name, keys, position, has_gauss, cached_gaussian = states["numpy"]
    numpy.random.set_state(
        (name, numpy.asarray(keys, dtype=numpy.uint32), position, has_gauss, cached_gaussian)
    )
    torch.set_rng_state(states["torch"])
    if "cuda" in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


def add_rng_states(trainer, training_state: Dict[str, Any]) -> None:
    """
    Store the generator states in a checkpoint's `training_state`: those of now, and those of the
    start of the current epoch (the same at an epoch boundary), which gave that epoch's data order.
    """
    now = capture_rng_states()
    training_state[RNG_STATES_KEY] = now
    if training_state["batches_in_epoch_completed"] == 0:
        training_state[EPOCH_START_RNG_STATES_KEY] = now
    else:
        training_state[EPOCH_START_RNG_STATES_KEY] = getattr(
            trainer, "_bioelmo_epoch_start_rng_states", now
        )


def schedule_rng_restore(trainer, training_state: Dict[str, Any]) -> None:
    """After a restore: remember the generator states to put back when training really starts."""
    if RNG_STATES_KEY not in training_state:
        logger.warning(
            "The checkpoint holds no random number generator states (it was written without "
            "allennlp_bioelmo): the resumed run draws other dropout masks and data orders than an "
            "uninterrupted run would."
        )
        return
    trainer._bioelmo_pending_epoch_rng_states = training_state[EPOCH_START_RNG_STATES_KEY]
    if training_state["batches_in_epoch_completed"] > 0:
        trainer._bioelmo_pending_batch_rng_states = training_state[RNG_STATES_KEY]


def before_epoch(trainer) -> None:
    """
    Called as `_train_epoch` starts. AllenNLP replays the data loader through the epochs the
    checkpoint completed; the first epoch it really trains (or finishes) starts from the
    checkpoint's generator states.
    """
    pending = getattr(trainer, "_bioelmo_pending_epoch_rng_states", None)
    if pending is not None and trainer._epochs_completed == trainer._start_after_epochs_completed:
        restore_rng_states(pending)
        trainer._bioelmo_pending_epoch_rng_states = None
    trainer._bioelmo_epoch_start_rng_states = capture_rng_states()


def before_training_batch(trainer) -> None:
    """After a checkpoint in the middle of an epoch: its generator states go back at the first
    batch trained after the replayed ones."""
    pending = getattr(trainer, "_bioelmo_pending_batch_rng_states", None)
    if pending is not None:
        restore_rng_states(pending)
        trainer._bioelmo_pending_batch_rng_states = None


# ---- checkpoint files --------------------------------------------------------------------------


def complete_checkpoints(checkpointer, points) -> set:
    """The checkpoints among `points` (epochs, batches) whose training state file exists too."""
    return {point for point in points if os.path.isfile(checkpointer._training_state_path(*point))}


def remove_incomplete_checkpoints(checkpointer) -> List[str]:
    """
    Remove the halves of checkpoints whose other file is missing (a kill between the two writes,
    or during the removal of an old checkpoint) and temporary files of interrupted writes, with a
    warning naming each. Returns the removed paths.
    """
    directory = checkpointer._serialization_dir
    if directory is None or not os.path.isdir(directory):
        return []
    if checkpointer.state_is_sharded:
        own = f"_w{checkpointer._rank}"
    elif checkpointer._is_primary:
        own = ""
    else:
        return []  # the primary worker tidies the shared files
    halves: Dict[tuple, Dict[str, str]] = {}
    removed = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if name.endswith(PARTIAL_SUFFIX) and _CHECKPOINT_FILE.match(name[: -len(PARTIAL_SUFFIX)]):
            os.remove(path)
            removed.append(path)
            continue
        match = _CHECKPOINT_FILE.match(name)
        if match is None or (match.group(4) or "") != own:
            continue
        point = (int(match.group(2)), int(match.group(3)))
        halves.setdefault(point, {})[match.group(1)] = path
    for point, files in sorted(halves.items()):
        if len(files) == 2:
            continue
        (path,) = files.values()
        missing = "training_state" if "model_state" in files else "model_state"
        logger.warning(
            "Removing %s: an incomplete checkpoint (its %s file is missing; the run was "
            "interrupted between the two writes).",
            path,
            missing,
        )
        os.remove(path)
        removed.append(path)
    return removed


def log_recovery_point(checkpointer, removed: List[str]) -> None:
    """Say which checkpoint training resumes from (or that none is left after `removed`)."""
    latest = checkpointer.find_latest_checkpoint()
    if latest is None:
        if removed:
            logger.warning(
                "No complete checkpoint left in %s: training starts from the beginning.",
                checkpointer._serialization_dir,
            )
        return
    epochs, batches = checkpointer._parse_model_state_path(latest[0])
    position = (
        f"after epoch {epochs - 1}" if batches == 0 else f"at batch {batches} of epoch {epochs}"
    )
    logger.info(
        "Resuming %s from the checkpoint %s + %s.",
        position,
        os.path.basename(latest[0]),
        os.path.basename(latest[1]),
    )


# ---- best.th and the final metrics -------------------------------------------------------------


def restore_best_model_file(trainer, training_state: Dict[str, Any]) -> None:
    """
    After a restore, make `best.th` hold the best epoch's weights and tell the trainer about it.

    The checkpoint of an epoch is written before that epoch's `best.th`, so where the restored
    metric tracker says the checkpointed epoch was the best, `best.th` is rewritten from the weights
    just restored (which are that epoch's). AllenNLP also restores `best_model_filename` as it was
    *before* the epoch's `best.th` was written (None after a best first epoch).
    """
    directory = trainer._serialization_dir
    sharded = trainer._ddp_wrapped_model is not None and trainer._ddp_wrapped_model.is_sharded
    tracker = trainer._metric_tracker
    if not directory or sharded or tracker.best_epoch is None:
        return
    best_file = os.path.join(directory, BEST_MODEL_FILE)
    at_epoch_end = training_state["batches_in_epoch_completed"] == 0
    if at_epoch_end and tracker.is_best_so_far():
        if trainer._primary:
            if trainer._moving_average is None:
                trainer._save_model_state(best_file)
            else:
                trainer._moving_average.assign_average_value()
                try:
                    trainer._save_model_state(best_file)
                finally:
                    trainer._moving_average.restore()
            logger.info(
                "Wrote %s from the restored checkpoint (its epoch, %d, is the best so far).",
                best_file,
                tracker.best_epoch,
            )
        trainer._best_model_filename = best_file
    elif os.path.isfile(best_file):
        trainer._best_model_filename = best_file
    else:
        logger.warning(
            "%s is missing although epoch %d was the best: the final model will be the last "
            "epoch's weights.",
            best_file,
            tracker.best_epoch,
        )


def metrics_of_completed_epochs(trainer, metrics: Dict[str, Any]) -> Dict[str, Any]:
    """
    The final metrics of a resumed run that had no epoch left to train: those the last completed
    epoch wrote (`metrics_epoch_N.json`), which are what the uninterrupted run ended with.
    """
    completed = trainer._start_after_epochs_completed
    if "epoch" in metrics or not trainer._serialization_dir or completed == 0:
        return metrics
    path = os.path.join(trainer._serialization_dir, f"metrics_epoch_{completed - 1}.json")
    if not os.path.isfile(path):
        logger.warning("%s is missing: the final metrics hold only the best epoch's.", path)
        return metrics
    with open(path, encoding="utf-8") as handle:
        saved = json.load(handle)
    logger.info("No epoch left to train: the final metrics are those of %s.", path)
    return {**saved, **metrics}


def is_finished_run(serialization_dir: str) -> bool:
    """A run is finished once its archive is written (after `metrics.json`, atomically)."""
    return all(os.path.isfile(os.path.join(serialization_dir, name)) for name in FINISHED_RUN_FILES)


def final_archive_path(serialization_dir: str, archive_path: Optional[str]) -> str:
    """Where `archive_model` writes: `archive_path`, inside it if it is a folder, or the default."""
    if archive_path is None:
        return os.path.join(serialization_dir, "model.tar.gz")
    if os.path.isdir(archive_path):
        return os.path.join(archive_path, "model.tar.gz")
    return os.fspath(archive_path)
