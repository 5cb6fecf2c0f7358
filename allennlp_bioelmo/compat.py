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
   `torch` whose `save` writes a temporary file and renames it, so a checkpoint is whole or absent.
4. `allennlp predict` on a line that is not a JSON object: a bare `JSONDecodeError` traceback (or
   an `AttributeError` deep in a predictor for `[...]`), with no line number. Input lines are now
   numbered, and such a line gives a `ConfigurationError` naming the file and the line.
"""

import functools
import json
import logging
import sys

import torch
import torch.distributed as dist
from allennlp.commands import predict as allennlp_predict
from allennlp.commands import train as allennlp_train
from allennlp.common.checks import ConfigurationError
from allennlp.common.file_utils import cached_path, open_compressed
from allennlp.common.params import Params
from allennlp.models import model as allennlp_model
from allennlp.training import checkpointer as allennlp_checkpointer
from allennlp.training import gradient_descent_trainer as allennlp_trainer

from allennlp_bioelmo.common.file_utils import atomic_torch_save

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
            )
        if not isinstance(value, dict):
            raise ConfigurationError(
                f'{name}, line {number}: expected a JSON object such as {{"text": ...}}, '
                f"found a JSON {type(value).__name__}"
            )
        yield value
