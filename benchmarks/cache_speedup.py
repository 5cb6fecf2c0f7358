"""
Seconds per epoch of frozen-BioELMo NER models computing the biLM on the fly versus reading it from
a `bioelmo-embed` cache (embedder `bioelmo_cached`), in the same run, with BioELMo-small
and with a full-size random BioELMo; for the paper's probe (training_configs/probing/bc2gm_mlp_crf)
and for the biLSTM-CRF (training_configs/ner/ncbi_disease).

    python benchmarks/cache_speedup.py [--sentences 1000] [--full-sentences 300] [--epochs 2]
    python benchmarks/cache_speedup.py --smoke   # the fixture biLM, 8 fixture sentences, 1 epoch

Uses NCBI-disease from ../shared/data when present (else the copy in data/ncbi-disease). Prints
the cache build time, seconds per epoch (training + validation) of each setting and the speed-up.
"""

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import allennlp_bioelmo  # noqa: E402,F401
from allennlp.commands.train import train_model  # noqa: E402
from allennlp.common import Params  # noqa: E402
from allennlp.training.callbacks.callback import TrainerCallback  # noqa: E402

from allennlp_bioelmo.common.config_variables import BIOELMO_SMALL_FILES
from allennlp_bioelmo.precomputed_vectors import embed_file
from allennlp_bioelmo.testing.bilm_fixtures import FULL_BIOELMO_OPTIONS, write_bilm_fixture
from harness import FIXTURE_BILM, ROOT, add_smoke_argument, column_file_blocks, ncbi_disease_file

CONFIGS = {  # config -> the prefix of its data variables
    "probing/bc2gm_mlp_crf": "BC2GM",
    "ner/ncbi_disease": "NCBI_DISEASE",
}
EPOCH_TIMES = []


@TrainerCallback.register("benchmark_epoch_timer")
class EpochTimer(TrainerCallback):
    def on_start(self, trainer, is_primary: bool = True, **kwargs) -> None:
        EPOCH_TIMES.append(time.perf_counter())

    def on_epoch(self, trainer, metrics, epoch: int, is_primary: bool = True, **kwargs) -> None:
        EPOCH_TIMES.append(time.perf_counter())


def seconds_per_epoch(directory, config, train_file, dev_file, epochs, cache_file):
    os.environ["BIOELMO_CACHE"] = cache_file
    prefix = CONFIGS[config]
    os.environ[f"{prefix}_TRAIN"], os.environ[f"{prefix}_DEV"] = train_file, dev_file
    params = Params.from_file(
        os.path.join(ROOT, "training_configs", config + ".jsonnet"),
        json.dumps(
            {
                "test_data_path": None,
                "evaluate_on_test": False,
                "trainer": {"num_epochs": epochs, "callbacks": [{"type": "benchmark_epoch_timer"}]},
            }
        ),
    )
    EPOCH_TIMES.clear()
    train_model(params, directory)
    return [b - a for a, b in zip(EPOCH_TIMES, EPOCH_TIMES[1:])]


def measure(name, options_file, weight_file, blocks, epochs, workdir):
    os.environ["BIOELMO_OPTIONS"], os.environ["BIOELMO_WEIGHTS"] = options_file, weight_file
    os.environ["BIOELMO_OUTPUT_DIM"] = str(
        2 * json.load(open(options_file))["lstm"]["projection_dim"]
    )
    split = max(1, len(blocks) // 10)
    train_file, dev_file = os.path.join(workdir, "train.txt"), os.path.join(workdir, "dev.txt")
    for path, part in ((train_file, blocks[split:]), (dev_file, blocks[:split])):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(
                "\n".join("".join("\t".join(row) + "\n" for row in block) for block in part) + "\n"
            )
    sentences = os.path.join(workdir, "sentences.txt")
    with open(sentences, "w", encoding="utf-8") as handle:
        handle.write("\n".join(" ".join(row[0] for row in block) for block in blocks) + "\n")
    cache = os.path.join(workdir, "cache.hdf5")
    start = time.perf_counter()
    embed_file(sentences, cache, options_file, weight_file, batch_size=32)
    build = time.perf_counter() - start
    tokens = sum(len(block) for block in blocks)
    print(f"{name}: {len(blocks)} sentences ({tokens} tokens); cache built in {build:.1f} s")
    for config in CONFIGS:
        plain = seconds_per_epoch(
            os.path.join(workdir, config, "plain"), config, train_file, dev_file, epochs, ""
        )
        cached = seconds_per_epoch(
            os.path.join(workdir, config, "cached"), config, train_file, dev_file, epochs, cache
        )
        print(
            f"   {config:<24} on the fly {min(plain):6.2f} s/epoch   cached {min(cached):6.2f} "
            "s/epoch   "
            f"speed-up {min(plain) / min(cached):5.1f}x   (best of {epochs} epochs)",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sentences", type=int, help="default 1000 (smoke 8)")
    parser.add_argument("--full-sentences", type=int, default=300)
    parser.add_argument("--epochs", type=int, help="default 2 (smoke 1)")
    parser.add_argument("--skip-full", action="store_true", help="(always with --smoke)")
    add_smoke_argument(parser)
    args = parser.parse_args()
    args.sentences = args.sentences or (8 if args.smoke else 1000)
    args.epochs = args.epochs or (1 if args.smoke else 2)
    source = ncbi_disease_file("train", args.smoke)
    blocks = column_file_blocks(source)
    print(f"corpus: {source}; {args.epochs} epochs per setting; 2 threads")
    # smoke: the fixture biLM stands in for BioELMo-small, and no full-size biLM
    name, bilm_files = "BioELMo-small", BIOELMO_SMALL_FILES
    if args.smoke:
        name, bilm_files = "the fixture biLM (smoke)", FIXTURE_BILM
    with tempfile.TemporaryDirectory() as workdir:
        small = os.path.join(workdir, "small")
        os.makedirs(small)
        measure(
            name,
            bilm_files["BIOELMO_OPTIONS"],
            bilm_files["BIOELMO_WEIGHTS"],
            blocks[: args.sentences],
            args.epochs,
            small,
        )
        if not (args.skip_full or args.smoke):
            full = os.path.join(workdir, "full")
            options_file, weight_file, _ = write_bilm_fixture(
                os.path.join(full, "bilm"), FULL_BIOELMO_OPTIONS, seed=1
            )
            measure(
                "full-size random BioELMo",
                options_file,
                weight_file,
                blocks[: args.full_sentences],
                args.epochs,
                full,
            )


if __name__ == "__main__":
    main()
