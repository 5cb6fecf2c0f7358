"""
Fixes for AllenNLP 2.10.1 as installed on Python 3.11 with torch 2.x and numpy 2 (the stack in
requirements.txt). Each fix is a small wrapper around one AllenNLP function, says what it fixes,
and has a test in `tests/test_compat.py`. Importing `allennlp_bioelmo` applies them once.

1. `TrainModel.finish` after distributed training: only the primary worker evaluates on the test
   set, but the metrics still all-reduce across workers that have already left, so
   `evaluate_on_test` crashes ("Connection closed by peer"). We leave the process group first, so
   the primary's metrics are computed locally.
2. `remove_keys_from_params` when loading an archive: AllenNLP strips `pretrained_file` so that a
   trained model does not re-read its pre-trained files; our embedders' `weight_file` is the same
   kind of key (the biLM weights are in the archive's state dict), so it is stripped too and
   loading an archive never reads the HDF5 file (nor the `bioelmo_cached` embedder's cache).
3. Checkpoints written by `torch.save` straight to their final name: a run killed while saving
   leaves a truncated `training_state_*.th` that `train -r` then fails to load (and the
   checkpointer never rewrites a file that exists). The checkpointer and trainer modules get a
   `torch` whose `save` writes a temporary file and renames it, so a checkpoint file is whole or
   absent; `metrics*.json` and `model.tar.gz` are written the same way.
4. `allennlp predict` on a line that is not a JSON object: a bare `JSONDecodeError` traceback (or
   an `AttributeError` deep in a predictor for `[...]`), with no line number. Input lines are now
   numbered, and such a line gives a `ConfigurationError` naming the file and the line.
5. `train -r` after a kill at any moment: recovery from the newest *complete* checkpoint (both
   files), `best.th` made consistent with the restored metric tracker, the random number
   generators saved with the checkpoint and put back where the uninterrupted run had them, and a
   finished run left as it is. `allennlp_bioelmo.training.recovery` says what goes wrong and how.
"""

import functools
import inspect
import json
import logging
import os
import sys

import torch
import torch.distributed as dist
from allennlp.commands import predict as allennlp_predict
from allennlp.commands import train as allennlp_train
from allennlp.common import util as allennlp_util
from allennlp.common.checks import ConfigurationError
from allennlp.common.file_utils import cached_path, open_compressed
from allennlp.common.params import Params
from allennlp.models import model as allennlp_model
from allennlp.models.archival import load_archive
from allennlp.training import checkpointer as allennlp_checkpointer
from allennlp.training import gradient_descent_trainer as allennlp_trainer
from allennlp.training import util as allennlp_training_util

from allennlp_bioelmo.common.file_utils import atomic_output_path, atomic_torch_save
from allennlp_bioelmo.training import recovery

logger = logging.getLogger(__name__)

# Token embedders whose `weight_file` holds pre-trained weights that the archive already contains
# (and, for the cached one, whose `cache_file` holds vectors those weights compute anyway).
ARCHIVED_WEIGHT_FILE_EMBEDDERS = {"bioelmo", "bioelmo_cached"}
ARCHIVED_FILE_KEYS = ("weight_file", "cache_file")


def _patch_once(owner, name: str):
    def decorate(wrapper):
        original = getattr(owner, name)
        if getattr(original, "_bioelmo_patched", False):
            return original
        patched = functools.wraps(original)(
            lambda *args, **kwargs: wrapper(original, *args, **kwargs)
        )
        patched._bioelmo_patched = True
        setattr(owner, name, patched)
        return patched

    return decorate


@_patch_once(allennlp_train.TrainModel, "finish")
def _finish_without_process_group(original, self, metrics):
    if (
        self.evaluate_on_test
        and self.evaluation_data_loader is not None
        and dist.is_available()
        and dist.is_initialized()
    ):
        logger.info("Leaving the process group: the test set is evaluated by this worker alone.")
        dist.destroy_process_group()
    return original(self, metrics)


def strip_archived_weight_files(params) -> None:
    """
    Remove ARCHIVED_FILE_KEYS from every embedder in ARCHIVED_WEIGHT_FILE_EMBEDDERS, recursively.
    """
    if not isinstance(params, Params):
        return
    if params.get("type") in ARCHIVED_WEIGHT_FILE_EMBEDDERS:
        for key in ARCHIVED_FILE_KEYS:
            if key in params:
                del params[key]
    for value in params.values():
        if isinstance(value, Params):
            strip_archived_weight_files(value)


@_patch_once(allennlp_model, "remove_keys_from_params")
def _remove_keys_and_weight_files(original, params, *args, **kwargs):
    original(params, *args, **kwargs)
    strip_archived_weight_files(params)


class _TorchWithAtomicSave:
    """The `torch` module, except that `save` is `atomic_torch_save`."""

    save = staticmethod(atomic_torch_save)

    def __getattr__(self, name):
        return getattr(torch, name)


for _module in (allennlp_checkpointer, allennlp_trainer):
    if not isinstance(_module.torch, _TorchWithAtomicSave):
        _module.torch = _TorchWithAtomicSave()


@_patch_once(allennlp_util, "dump_metrics")
def _dump_metrics_atomically(original, file_path, metrics, log=False):
    if not file_path:
        return original(file_path, metrics, log=log)
    with atomic_output_path(file_path) as temporary:
        original(temporary, metrics, log=log)


@_patch_once(allennlp_train, "archive_model")
def _archive_model_atomically(original, *args, **kwargs):
    arguments = _bound_arguments(original, args, kwargs)
    final = recovery.final_archive_path(arguments["serialization_dir"], arguments["archive_path"])
    with atomic_output_path(final) as temporary:
        arguments["archive_path"] = temporary
        original(**arguments)
    return final


def _bound_arguments(function, args, kwargs) -> dict:
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


# ---- fix 5: crash-consistent recovery (see allennlp_bioelmo.training.recovery) -----------------

_Checkpointer = allennlp_checkpointer.Checkpointer
_Trainer = allennlp_trainer.GradientDescentTrainer


@_patch_once(_Checkpointer, "_find_all_checkpoints")
def _complete_checkpoints_only(original, self):
    return recovery.complete_checkpoints(self, original(self))


@_patch_once(_Checkpointer, "load_checkpoint")
def _load_newest_complete_checkpoint(original, self):
    removed = recovery.remove_incomplete_checkpoints(self)
    recovery.log_recovery_point(self, removed)
    state = original(self)
    self._bioelmo_loaded_training_state = None if state is None else state.trainer_state
    return state


@_patch_once(_Trainer, "get_checkpoint_state")
def _checkpoint_with_rng_states(original, self):
    state = original(self)
    if state is not None:
        recovery.add_rng_states(self, state.trainer_state)
    return state


@_patch_once(_Trainer, "_maybe_restore_checkpoint")
def _restore_rng_states_and_best_model(original, self):
    original(self)
    training_state = getattr(self._checkpointer, "_bioelmo_loaded_training_state", None)
    if training_state is not None:
        recovery.schedule_rng_restore(self, training_state)
        recovery.restore_best_model_file(self, training_state)


@_patch_once(_Trainer, "_train_epoch")
def _train_epoch_from_restored_rng_states(original, self, epoch):
    recovery.before_epoch(self)
    return original(self, epoch)


@_patch_once(_Trainer, "batch_outputs")
def _batch_outputs_from_restored_rng_states(original, self, batch, for_training):
    if for_training:
        recovery.before_training_batch(self)
    return original(self, batch, for_training)


@_patch_once(_Trainer, "_try_train")
def _try_train_with_completed_metrics(original, self):
    metrics, epoch = original(self)
    return recovery.metrics_of_completed_epochs(self, metrics), epoch


@_patch_once(allennlp_train, "train_model")
def _train_model_unless_finished(original, *args, **kwargs):
    arguments = _bound_arguments(original, args, kwargs)
    serialization_dir = arguments["serialization_dir"]
    if not (arguments["recover"] and recovery.is_finished_run(serialization_dir)):
        return original(**arguments)
    # Still refuse a configuration that differs from the finished run's.
    allennlp_training_util.create_serialization_dir(
        arguments["params"], serialization_dir, recover=True, force=False
    )
    logger.info(
        "%s holds a finished run (model.tar.gz and metrics.json): nothing to recover, "
        "nothing changed.",
        serialization_dir,
    )
    if arguments["return_model"]:
        return load_archive(os.path.join(serialization_dir, "model.tar.gz")).model
    return None


@_patch_once(allennlp_predict._PredictManager, "_get_json_data")
def _json_lines_with_line_numbers(original, self):
    if self._input_file == "-":
        yield from _numbered_json_objects("standard input", sys.stdin, self._predictor)
        return
    with open_compressed(cached_path(self._input_file)) as lines:
        yield from _numbered_json_objects(self._input_file, lines, self._predictor)


def _numbered_json_objects(name, lines, predictor):
    """
    `predictor.load_line` of every non-blank line; a line that is not a JSON object is an error.
    """
    for number, line in enumerate(lines, start=1):
        if line.isspace():
            continue
        try:
            value = predictor.load_line(line)
        except json.JSONDecodeError as error:
            raise ConfigurationError(
                f"{name}, line {number}: not valid JSON ({error.msg}, column {error.colno}); "
                "allennlp predict expects one JSON object per line"
            ) from None
        if not isinstance(value, dict):
            raise ConfigurationError(
                f'{name}, line {number}: expected a JSON object such as {{"text": ...}}, '
                f"found a JSON {type(value).__name__}"
            )
        yield value
