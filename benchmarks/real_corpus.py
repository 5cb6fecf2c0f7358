"""
Shared by ner_real.py and re_real.py: train one of our configs on a real corpus from
../shared/data with (a) the bundled small random-weight biLM and (b) plain trainable word
embeddings, each in its own process, and print the test score, seconds per epoch and peak memory.
These numbers check the pipeline end to end on real data; they say nothing about BioELMo itself.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")

def column_file_sentences(path: str):
    """Sentences (token lists) of an IOB/CoNLL column file: first column, blank lines between sentences."""
    sentences, current = [], []
    for line in open(path, encoding="utf-8"):
        if line.strip():
            current.append(line.split("\t")[0].split()[0])
        elif current:
            sentences.append(current)
            current = []
    return sentences + ([current] if current else [])


def run_one(config: str, env: dict, setting: str, epochs: int, extra: dict) -> dict:
    """Runs in a child process: trains, returns the figures."""
    os.environ.update(env)
    sys.path.insert(0, ROOT)
    import allennlp_bioelmo  # noqa: F401

    from allennlp.common import Params
    from allennlp.commands.train import train_model

    params = Params.from_file(os.path.join(ROOT, config), json.dumps(_merge({"trainer": {"num_epochs": epochs}}, extra)))
    if setting == "words":  # swap the BioELMo indexer and embedder for trainable word embeddings
        settings = params.as_dict()
        settings["dataset_reader"]["token_indexers"] = {"tokens": {"type": "single_id", "lowercase_tokens": True}}
        settings["model"]["text_field_embedder"] = {"token_embedders": {"tokens": {"type": "embedding", "embedding_dim": 100}}}
        settings["model"]["encoder"]["input_size"] = 100
        params = Params(settings)
    with tempfile.TemporaryDirectory() as directory:
        start = time.perf_counter()
        train_model(params, directory)
        seconds = time.perf_counter() - start
        metrics = json.load(open(os.path.join(directory, "metrics.json")))
    return {"seconds_per_epoch": seconds / epochs, "metrics": metrics,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _merge(base: dict, update: dict) -> dict:
    result = dict(base)
    for key, value in update.items():
        result[key] = _merge(result.get(key, {}), value) if isinstance(value, dict) else value
    return result


def main(config: str, env: dict, score_keys, description: str, extra: dict = None) -> None:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--settings", nargs="+", default=["bilm", "words"], choices=["bilm", "words"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(config, env, args.child, args.epochs, extra or {})))
        return
    missing = [path for path in env.values() if path.startswith(SHARED) and not os.path.exists(path)]
    if missing:
        sys.exit(f"real corpus not available: {missing[0]} (../shared/data sits beside CI clones only)")
    print(f"{config} on {env[next(iter(env))]}, {args.epochs} epochs, 2 threads")
    for setting in args.settings:
        child = subprocess.run([sys.executable, sys.argv[0], "--child", setting, "--epochs", str(args.epochs)],
                               capture_output=True, text=True)
        if child.returncode != 0:
            sys.exit(child.stderr[-3000:])
        result = json.loads(child.stdout.strip().splitlines()[-1])
        scores = "  ".join(f"{key} {result['metrics'][key]:.3f}" for key in score_keys)
        name = "small random biLM (bundled)" if setting == "bilm" else "word embeddings (100-d, trained)"
        print(f"{name:<32} {scores}  {result['seconds_per_epoch']:.1f} s/epoch  peak {result['peak_mb']:.0f} MB")
