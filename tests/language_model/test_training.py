"""Training the language model: a `kill` (SIGTERM) saves the finished steps before stopping."""

import json
import signal
import subprocess
import sys
import time

import torch

from allennlp_bioelmo.testing.bilm_fixtures import SMALL_OPTIONS
from tests import REPOSITORY_ROOT

TRAIN = """
import sys
from allennlp_bioelmo.language_model.training import finetune
finetune(*sys.argv[1:5], epochs=100000, batch_size=2, num_samples=4, checkpoint_every=10**9,
         log_every=5)
"""


def test_sigterm_saves_a_checkpoint_that_resumes(tmp_path):
    (tmp_path / "vocab.txt").write_text("<S>\n</S>\n<UNK>\nthe\ngene\nbinds\nDNA\n.\n")
    (tmp_path / "train.txt").write_text("the gene binds DNA .\nthe DNA .\n" * 4)
    (tmp_path / "options.json").write_text(json.dumps(SMALL_OPTIONS))
    files = [str(tmp_path / name) for name in ("options.json", "vocab.txt", "train.txt")]
    output = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", TRAIN, *files, str(output)],
        cwd=REPOSITORY_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = output / "metrics.jsonl"
    try:
        deadline = time.time() + 300
        while time.time() < deadline and not (log.exists() and '"loss"' in log.read_text()):
            time.sleep(0.2)
        assert log.exists() and '"loss"' in log.read_text(), "training did not start in 300 s"
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:  # never leave the endless run behind
            process.kill()
            process.communicate()
    assert process.returncode != 0  # stopped, not finished
    checkpoint = torch.load(output / "checkpoint.th", weights_only=False)
    assert checkpoint["step"] >= 5  # no periodic checkpoint was due: this one came from the signal
    assert f"interrupted: checkpoint at step {checkpoint['step']} saved" in stdout
