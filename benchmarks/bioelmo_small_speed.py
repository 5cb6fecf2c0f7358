"""
CPU inference speed of BioELMo-small against full-size BioELMo (random weights of the released
dimensions), both computed by our `BiLm` on the same batches of real sentences in the same run:
tokens/s and the ratio, with each model's parameters and MFLOP/token.

    python benchmarks/bioelmo_small_speed.py [--batch-sizes 32] [--batches 6] [--threads 2]
    python benchmarks/bioelmo_small_speed.py --smoke   # the fixture biLM stands in for full size
"""

import argparse
import os
import random
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from allennlp_bioelmo.common.config_variables import BIOELMO_SMALL_FILES
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.testing.bilm_fixtures import FULL_BIOELMO_OPTIONS, write_bilm_fixture
from harness import (
    FIXTURE_BILM,
    add_smoke_argument,
    corpus_sentences,
    random_batch,
    tokens_per_second,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--batch-sizes", type=int, nargs="+", help="default 32 (smoke 4)")
    parser.add_argument("--batches", type=int, help="per batch size; default 6 (smoke 2)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--fixture-dir", default=os.path.join(tempfile.gettempdir(), "bioelmo_full_random")
    )
    add_smoke_argument(parser)
    args = parser.parse_args()
    args.batch_sizes = args.batch_sizes or ([4] if args.smoke else [32])
    args.batches = args.batches or (2 if args.smoke else 6)
    torch.set_num_threads(args.threads)
    if args.smoke:  # the fixture biLM stands in for full size
        full_name, full_label = "fixture biLM (smoke)", "fixture biLM"
        full_files = (FIXTURE_BILM["BIOELMO_OPTIONS"], FIXTURE_BILM["BIOELMO_WEIGHTS"])
    else:
        full_name, full_label = "BioELMo (full size)", "full-size BioELMo"
        full_weights = os.path.join(args.fixture_dir, "weights.hdf5")
        if not os.path.exists(full_weights):
            write_bilm_fixture(args.fixture_dir, FULL_BIOELMO_OPTIONS, seed=1)
        full_files = (os.path.join(args.fixture_dir, "options.json"), full_weights)
    models = {
        "BioELMo-small": (
            BIOELMO_SMALL_FILES["BIOELMO_OPTIONS"],
            BIOELMO_SMALL_FILES["BIOELMO_WEIGHTS"],
        ),
        full_name: full_files,
    }
    for name, (options_file, _) in models.items():
        options = BiLmOptions.from_file(options_file)
        print(
            f"{name:<20} {options.parameter_count() / 1e6:6.1f}M parameters  "
            f"{options.flops_per_token() / 1e6:6.1f} MFLOP/token"
        )
    bilms = {name: BiLm.from_files(*files).eval() for name, files in models.items()}
    rng = random.Random(0)
    sentences, source = corpus_sentences(args.smoke)
    print(f"sentences: {source}, 10-40 tokens; {args.threads} threads; float32")
    with torch.no_grad():
        for batch_size in args.batch_sizes:
            batches = [random_batch(batch_size, rng, sentences) for _ in range(args.batches)]
            speeds = {name: tokens_per_second(bilm, batches) for name, bilm in bilms.items()}
            small, full = speeds["BioELMo-small"], speeds[full_name]
            print(
                f"batch {batch_size}: BioELMo-small {small:.0f} tok/s, {full_label} "
                f"{full:.0f} tok/s -> {small / full:.1f}x faster",
                flush=True,
            )


if __name__ == "__main__":
    main()
