"""
Kill `allennlp train` at random moments, recover with `-r`, and count the runs that recover and
the runs that end exactly where an uninterrupted run ends (the same best weights, bit for bit, and
the same metrics apart from durations and memory).

Two kinds of kill, alternating:

* `time`: SIGKILL at a moment drawn uniformly over the uninterrupted run's duration from when it
  wrote its `config.json` (before that there is nothing to recover, and `-r` says so) to its end,
  counted from when the killed run writes its own `config.json`;
* `file`: SIGKILL as soon as a chosen checkpoint file (`model_state_eN_b0.th`,
  `training_state_eN_b0.th`, `best.th`, `metrics_epoch_N.json`, `metrics.json`) appears, which
  lands in the windows between the files of one checkpoint.

Every fourth trial also kills the first recovery at a random moment before the second `-r`.

    python benchmarks/kill_recovery.py --trials 20        # NCBI-disease fixture config, 6 epochs
    python benchmarks/kill_recovery.py --smoke            # 2 trials, 2 epochs, seconds per run

Prints one line per trial, then `recovered N of M` and `identical to the uninterrupted run: K of
N`. Runs on the fixture corpus and the tiny random test biLM, so it needs nothing from ../shared.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

import torch
from harness import FIXTURE_BILM, ROOT, add_smoke_argument

ALLENNLP = os.path.join(os.path.dirname(sys.executable), "allennlp")
CONFIG = os.path.join("training_configs", "ner", "ncbi_disease.jsonnet")
RUN_TIMEOUT = 900  # seconds for one `allennlp train`


def environment(epochs: int) -> Dict[str, str]:
    """The NCBI-disease config on its fixture corpus (its default) with the fixture biLM."""
    return {**os.environ, "NER_EPOCHS": str(epochs), **FIXTURE_BILM}


def start_training(serialization_dir: str, epochs: int, recover: bool) -> subprocess.Popen:
    command = [ALLENNLP, "train", CONFIG, "-s", serialization_dir] + (["-r"] if recover else [])
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment(epochs),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_at_time(process: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL after `seconds`; False if the process ended first."""
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def kill_when_file_appears(process: subprocess.Popen, path: str, kill: bool = True) -> bool:
    """
    SIGKILL as soon as `path` exists (polled every millisecond); False if the run ended first.
    With `kill=False`, only wait for the file (or the end of the run).
    """
    deadline = time.monotonic() + RUN_TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        if os.path.exists(path):
            if not kill:
                return False
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.001)
    if kill:
        process.wait()
    return False


def comparable_metrics(serialization_dir: str) -> Optional[Dict]:
    path = os.path.join(serialization_dir, "metrics.json")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        metrics = json.load(handle)
    return {
        key: value
        for key, value in metrics.items()
        if "duration" not in key and not key.endswith("memory_MB")
    }


def same_weights(first: str, second: str) -> bool:
    a = torch.load(os.path.join(first, "best.th"))
    b = torch.load(os.path.join(second, "best.th"))
    return a.keys() == b.keys() and all(torch.equal(a[name], b[name]) for name in a)


def file_targets(epochs: int) -> List[str]:
    targets = ["metrics.json", "best.th"]
    for epoch in range(1, epochs + 1):
        targets += [f"model_state_e{epoch}_b0.th", f"training_state_e{epoch}_b0.th"]
        targets.append(f"metrics_epoch_{epoch - 1}.json")
    return targets


def recover(run: str, epochs: int) -> Tuple[int, str]:
    process = start_training(run, epochs, recover=True)
    _, stderr = process.communicate(timeout=RUN_TIMEOUT)
    return process.returncode, stderr


def trial(
    number: int,
    reference: str,
    reference_seconds: Tuple[float, float],
    epochs: int,
    workspace: str,
    rng: random.Random,
) -> Dict:
    run = os.path.join(workspace, f"trial{number}")
    kind = "time" if number % 2 == 0 else "file"
    process = start_training(run, epochs, recover=False)
    if kind == "time":
        # Timed from this run's own config.json, since start-up time varies with the load.
        configured, finished = reference_seconds
        moment = rng.uniform(0.0, finished - configured)
        what = f"{moment:5.1f} s after config.json"
        kill_when_file_appears(process, os.path.join(run, "config.json"), kill=False)
        killed = kill_at_time(process, moment)
    else:
        target = rng.choice(file_targets(epochs))
        what = f"on {target}"
        killed = kill_when_file_appears(process, os.path.join(run, target))
    result = {"trial": number, "kind": kind, "what": what, "killed": killed}
    if not killed:
        result["outcome"] = "finished before the kill"
        shutil.rmtree(run, ignore_errors=True)
        return result
    result["left"] = sorted(
        name for name in os.listdir(run) if name.endswith((".th", ".partial", ".json"))
    )
    if number % 4 == 3:  # kill the first recovery too
        second = start_training(run, epochs, recover=True)
        moment = rng.uniform(*reference_seconds)
        result["what"] += f", recovery killed at {moment:4.1f} s"
        kill_at_time(second, moment)
    returncode, stderr = recover(run, epochs)
    result["recovered"] = returncode == 0 and comparable_metrics(run) is not None
    if not result["recovered"]:
        result["outcome"] = f"NOT RECOVERED (exit {returncode}): " + stderr.strip()[-300:]
    else:
        result["identical"] = comparable_metrics(run) == comparable_metrics(
            reference
        ) and same_weights(run, reference)
        result["outcome"] = "recovered, " + (
            "identical" if result["identical"] else "DIFFERENT from the uninterrupted run"
        )
    shutil.rmtree(run, ignore_errors=True)
    return result


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=17)
    add_smoke_argument(parser)
    args = parser.parse_args(argv)
    if args.smoke:  # 2 trials (a timed and a file-timed kill) of 2 epochs
        args.trials, args.epochs = 2, 2

    rng = random.Random(args.seed)
    workspace = tempfile.mkdtemp(prefix="kill_recovery_")
    try:
        reference = os.path.join(workspace, "uninterrupted")
        started = time.monotonic()
        process = start_training(reference, args.epochs, recover=False)
        kill_when_file_appears(process, os.path.join(reference, "config.json"), kill=False)
        configured = time.monotonic() - started
        _, stderr = process.communicate(timeout=RUN_TIMEOUT)
        if process.returncode != 0:
            print(f"the uninterrupted run failed:\n{stderr[-3000:]}", file=sys.stderr)
            return 1
        reference_seconds = (configured, time.monotonic() - started)
        print(
            f"uninterrupted run: {args.epochs} epochs in {reference_seconds[1]:.1f} s, "
            f"config.json written at {configured:.1f} s "
            f"({CONFIG}, fixture corpus, test biLM); {args.trials} trials, seed {args.seed}"
        )
        results = []
        for number in range(args.trials):
            result = trial(number, reference, reference_seconds, args.epochs, workspace, rng)
            results.append(result)
            left = ", ".join(result.get("left", [])) or "-"
            print(
                f"trial {number:2d} kill {result['kind']:<4} {result['what']:<48} "
                f"-> {result['outcome']}  [left: {left}]",
                flush=True,
            )
    finally:
        shutil.rmtree(workspace, ignore_errors=True)

    attempted = [r for r in results if r["killed"]]
    recovered = [r for r in attempted if r["recovered"]]
    identical = [r for r in recovered if r["identical"]]
    print(f"recovered {len(recovered)} of {len(attempted)}")
    print(f"identical to the uninterrupted run: {len(identical)} of {len(recovered)}")
    print(f"finished before the kill (not counted): {len(results) - len(attempted)}")
    return 0 if len(recovered) == len(attempted) and len(identical) == len(recovered) else 1


if __name__ == "__main__":
    sys.exit(main())
