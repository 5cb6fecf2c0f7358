"""
Shared by the real-corpus scripts (ner_real.py, probe_real.py, re_real.py, cdr_ner_real.py,
cid_real.py, ddi_real.py): train one of our configs on a real corpus from ../shared/data with

* `bioelmo_small`: BioELMo-small, the biLM shipped in the package (the configs' default);
* `bioelmo_small_bfloat16`: the same, computed in bfloat16 (`inference_dtype`);
* `random_bilm`: a biLM of exactly BioELMo-small's dimensions with the weights it had before
  training (the control that separates pre-training from architecture);
* `words`: plain trainable 100-d word embeddings instead of the biLM;

each in its own process and with the same epochs, and print the test scores, seconds per epoch and
peak memory. With `--cache` the frozen biLM layers of every sentence the config's dataset reader
produces (train, dev and test) are computed once by `bioelmo-embed` (same results, much faster
epochs). With `--smoke` the fixture biLM stands in for BioELMo-small (and shapes the random
biLM), the data are the script's fixture corpus, training is 1 epoch, and the settings default to
`bioelmo_small` and `words` (each setting is a process that spends most of its time importing
AllenNLP). A score the model did not report (a label that neither the gold data nor the predictions
have) prints as "n/a". A script may print lines of its own before the settings' rows, such as a
baseline computed without training (`report`, run in a process of its own).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from harness import FIXTURE_BILM, ROOT, SHARED, add_smoke_argument, peak_memory_mb

SETTINGS = {
    "bioelmo_small": "BioELMo-small (shipped)",
    "bioelmo_small_bfloat16": "BioELMo-small, bfloat16 inference",
    "random_bilm": "random biLM, same dimensions",
    "words": "word embeddings (100-d, trained)",
}
SMOKE_SETTINGS = ["bioelmo_small", "words"]


def random_bilm_like(directory: str, bilm_files: dict) -> dict:
    """
    The network of `bilm_files` (BioELMo-small's) with the random weights its training started
    from (seed 13).
    """
    import torch

    from allennlp_bioelmo.data.bilm_inputs import read_vocabulary_file
    from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel

    torch.manual_seed(13)
    vocabulary = read_vocabulary_file(bilm_files["BIOELMO_VOCAB"])
    model = BiLmLanguageModel.from_files(bilm_files["BIOELMO_OPTIONS"], vocabulary)
    model.save_released_files(directory)
    return {
        "BIOELMO_OPTIONS": os.path.join(directory, "options.json"),
        "BIOELMO_WEIGHTS": os.path.join(directory, "weights.hdf5"),
    }


def reader_sentences(params) -> list:
    """The token sequences the config's dataset reader gives the embedder, over all splits."""
    from allennlp.data import DatasetReader
    from allennlp.data.fields import TextField

    reader = DatasetReader.from_params(params["dataset_reader"].duplicate())
    sentences = {}
    for key in ("train_data_path", "validation_data_path", "test_data_path"):
        for instance in reader.read(params[key]):
            for field in instance.fields.values():
                if isinstance(field, TextField):
                    tokens = [token.text for token in field.tokens]
                    sentences[" ".join(tokens)] = tokens
    return list(sentences.values())


def run_one(config, env, setting, epochs, cache, smoke=False) -> dict:
    """Runs in a child process: trains, returns the figures."""
    os.environ.update(env)
    sys.path.insert(0, ROOT)
    work = tempfile.mkdtemp()
    if smoke:  # the fixture biLM instead of BioELMo-small, whatever the environment says
        os.environ.update(FIXTURE_BILM)
        os.environ.pop("BIOELMO_OUTPUT_DIM", None)  # derived from the options on import
    if setting == "random_bilm":
        from allennlp_bioelmo.common.config_variables import BIOELMO_SMALL_FILES

        like = FIXTURE_BILM if smoke else BIOELMO_SMALL_FILES
        os.environ.update(random_bilm_like(os.path.join(work, "random_bilm"), like))
    import allennlp_bioelmo  # noqa: F401  (sets the remaining defaults: BioELMo-small)
    from allennlp.commands.train import train_model
    from allennlp.common import Params

    # Dotted keys: AllenNLP replaces a whole section given as a nested dict, which would drop the
    # config's own trainer (optimizer, validation metric) and embedder settings.
    overrides = {"trainer.num_epochs": epochs}
    inference_dtype = "bfloat16" if setting.endswith("_bfloat16") else "float32"
    if inference_dtype != "float32" and not cache:  # with a cache, bioelmo-embed takes the dtype
        overrides["model.text_field_embedder.token_embedders.elmo.inference_dtype"] = (
            inference_dtype
        )
    cache_seconds = 0.0
    if cache and setting != "words":
        from allennlp_bioelmo.precomputed_vectors import embed_file

        sentences = os.path.join(work, "sentences.jsonl")
        with open(sentences, "w", encoding="utf-8") as handle:
            params = Params.from_file(os.path.join(ROOT, config), json.dumps(overrides))
            for tokens in reader_sentences(params):
                handle.write(json.dumps({"tokens": tokens}) + "\n")
        start = time.perf_counter()
        layers = os.path.join(work, "layers.hdf5")
        embed_file(
            sentences,
            layers,
            os.environ["BIOELMO_OPTIONS"],
            os.environ["BIOELMO_WEIGHTS"],
            inference_dtype=inference_dtype,
        )
        cache_seconds = time.perf_counter() - start
        os.environ["BIOELMO_CACHE"] = layers
    params = Params.from_file(os.path.join(ROOT, config), json.dumps(overrides))
    if setting == "words":  # swap the BioELMo indexer and embedder for trainable word embeddings
        settings = params.as_dict()
        settings["dataset_reader"]["token_indexers"] = {
            "tokens": {"type": "single_id", "lowercase_tokens": True}
        }
        settings["model"]["text_field_embedder"] = {
            "token_embedders": {"tokens": {"type": "embedding", "embedding_dim": 100}}
        }
        if "encoder" in settings["model"]:
            settings["model"]["encoder"]["input_size"] = 100
        if "feedforward" in settings["model"] and "encoder" not in settings["model"]:
            settings["model"]["feedforward"]["input_dim"] = 100
        params = Params(settings)
    directory = os.path.join(work, "model")
    start = time.perf_counter()
    train_model(params, directory)
    seconds = time.perf_counter() - start
    metrics = json.load(open(os.path.join(directory, "metrics.json")))
    return {
        "seconds_per_epoch": seconds / epochs,
        "cache_seconds": cache_seconds,
        "metrics": metrics,
        "peak_mb": peak_memory_mb(),
    }


def run_report(config, env, report) -> dict:
    """Runs in a child process: the lines `report(config)` prints, with the corpus's variables."""
    os.environ.update(env)
    sys.path.insert(0, ROOT)
    import allennlp_bioelmo  # noqa: F401  (the remaining config variables' defaults)

    return {"lines": report(config)}


def score(metrics: dict, key: str) -> str:
    """`key value`, or `key n/a` where the model did not report it."""
    value = metrics.get(key)
    return f"{key} n/a" if value is None else f"{key} {value:.3f}"


def run_child(command: list) -> dict:
    """Runs a `--child` process, returns its result (the last line it prints, JSON)."""
    child = subprocess.run(command, capture_output=True, text=True)
    if child.returncode != 0:
        sys.exit(child.stderr[-3000:])
    return json.loads(child.stdout.strip().splitlines()[-1])


def main(
    config, env, score_keys, description, epochs=30, smoke_env=None, report=None, settings=None
) -> None:
    """
    The command line of a real-corpus script: `env` names the real corpus's files (config
    variable -> path), `smoke_env` the fixture files `--smoke` trains on instead. `report`, a
    function of the config path returning lines of text, prints them before the settings' rows
    (computed in a child process with the corpus's variables set, e.g. a baseline without
    training). `settings`: those run by default (default: all).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--epochs", type=int, help=f"default {epochs} (1 with --smoke)")
    parser.add_argument(
        "--settings",
        nargs="+",
        choices=list(SETTINGS),
        help=f"default: {' '.join(settings) if settings else 'all'} "
        f"({' '.join(SMOKE_SETTINGS)} with --smoke)",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="compute the frozen biLM layers of every sentence once with bioelmo-embed",
    )
    add_smoke_argument(parser)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.epochs is None:
        args.epochs = 1 if args.smoke else epochs
    args.settings = args.settings or (SMOKE_SETTINGS if args.smoke else settings or list(SETTINGS))
    if args.smoke:
        env = smoke_env
    if args.child == "report":
        print(json.dumps(run_report(config, env, report)))
        return
    if args.child:
        result = run_one(config, env, args.child, args.epochs, args.cache, args.smoke)
        print(json.dumps(result))
        return
    missing = [
        path for path in env.values() if path.startswith(SHARED) and not os.path.exists(path)
    ]
    if missing:
        sys.exit(
            f"real corpus not available: {missing[0]} (../shared/data sits beside CI clones only)"
        )
    threads = os.environ.get("OMP_NUM_THREADS", os.cpu_count())
    smoke = " (smoke: the fixture biLM stands in for BioELMo-small)" if args.smoke else ""
    print(f"{config} on {env[next(iter(env))]}, {args.epochs} epochs, {threads} threads{smoke}")
    command = [sys.executable, sys.argv[0], "--epochs", str(args.epochs)]
    command += ["--cache"] if args.cache else []
    command += ["--smoke"] if args.smoke else []
    if report is not None:
        for line in run_child(command + ["--child", "report"])["lines"]:
            print(line, flush=True)
    for setting in args.settings:
        result = run_child(command + ["--child", setting])
        scores = "  ".join(score(result["metrics"], key) for key in score_keys)
        cached = f" (+{result['cache_seconds']:.0f} s cache)" if result["cache_seconds"] else ""
        print(
            f"{SETTINGS[setting]:<34} {scores}  {result['seconds_per_epoch']:.1f} s/epoch{cached}"
            f"  best epoch {result['metrics'].get('best_epoch')}  peak {result['peak_mb']:.0f} MB",
            flush=True,
        )
