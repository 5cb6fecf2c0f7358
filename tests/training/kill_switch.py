"""
A test-only plugin (loaded with `--include-package tests.training.kill_switch`) that kills its own
`allennlp train` process with SIGKILL at a moment named by environment variables, so that a
recovery test interrupts training at exactly the same point on every machine:

* `BIOELMO_KILL_AFTER_FILE=NAME`: right after a file called NAME (`model_state_e2_b0.th`,
  `metrics.json`, ...) is renamed into place by one of the atomic writes;
* `BIOELMO_KILL_AT_BATCH=E:B`: as training batch B of epoch E (both from 0) starts.

SIGKILL cannot be caught, so nothing runs after it: the same as a killed machine.
"""

import os
import signal

from allennlp.training.gradient_descent_trainer import GradientDescentTrainer

from allennlp_bioelmo.common import file_utils

_AFTER_FILE = os.environ.get("BIOELMO_KILL_AFTER_FILE")
_AT_BATCH = os.environ.get("BIOELMO_KILL_AT_BATCH")


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class _OsReplacingThenKilling:
    """The `os` module for `file_utils`, except that `replace` kills after the named file."""

    def __init__(self, os_module):
        self._os = os_module

    def replace(self, source, destination, *args, **kwargs):
        self._os.replace(source, destination, *args, **kwargs)
        if os.path.basename(os.fspath(destination)) == _AFTER_FILE:
            _kill()

    def __getattr__(self, name):
        return getattr(self._os, name)


if _AFTER_FILE:
    file_utils.os = _OsReplacingThenKilling(os)

if _AT_BATCH:
    _epoch, _batch = (int(part) for part in _AT_BATCH.split(":"))
    _batch_outputs = GradientDescentTrainer.batch_outputs

    def _batch_outputs_or_kill(self, batch, for_training):
        if (
            for_training
            and self._epochs_completed == _epoch
            and self._batches_in_epoch_completed == _batch
        ):
            _kill()
        return _batch_outputs(self, batch, for_training)

    GradientDescentTrainer.batch_outputs = _batch_outputs_or_kill
