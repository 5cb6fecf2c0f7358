"""
Throughput of our `BiLm` against AllenNLP's ELMo biLM on the same full-size random weight file.

    python benchmarks/bilm_throughput.py [--batch-sizes 32 64] [--batches 4] [--threads 2]

Prints, per batch size: tokens/s of each implementation, the ratio, the max abs difference of the
outputs, peak resident memory, and the share of this machine's measured float32 GEMM rate that the
throughput represents (FLOPs per token from the options). Also reports our optional bfloat16 mode.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.modules.bilm_options import BiLmOptions
from allennlp_bioelmo.testing.bilm_fixtures import FULL_BIOELMO_OPTIONS, write_bilm_fixture
from real_corpus import SHARED, column_file_sentences

SHARED_CORPUS = os.path.join(SHARED, "ncbi-disease", "train.txt")


def corpus_sentences(rng: random.Random):
    """
    Real PubMed sentences of 10-40 tokens (NCBI-disease, from ../shared/data) when available, so
    token repetition within a batch is realistic; otherwise sentences of random lowercase words.
    """
    if os.path.exists(SHARED_CORPUS):
        sentences = column_file_sentences(SHARED_CORPUS)
        return [s for s in sentences if 10 <= len(s) <= 40], "NCBI-disease train sentences"
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 12)))
        for _ in range(5000)
    ]
    return [
        [rng.choice(words) for _ in range(rng.randint(10, 40))] for _ in range(2000)
    ], "random words"


def random_batch(batch_size: int, rng: random.Random, sentences):
    chosen = [rng.choice(sentences) for _ in range(batch_size)]
    return batch_to_ids(chosen), sum(len(s) for s in chosen)


def gemm_rate(threads: int) -> float:
    """Measured float32 GFLOP/s of a large square matrix product."""
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    torch.mm(a, b)
    start, repeats = time.perf_counter(), 10
    for _ in range(repeats):
        torch.mm(a, b)
    return repeats * 2 * 2048**3 / (time.perf_counter() - start) / 1e9


def time_tokens_per_second(run, batches) -> float:
    run(batches[0][0])  # warm-up
    start = time.perf_counter()
    for ids, _ in batches:
        run(ids)
    return sum(n for _, n in batches) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[32, 64])
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--fixture-dir", default=os.path.join(tempfile.gettempdir(), "bioelmo_full_random")
    )
    parser.add_argument("--skip-allennlp", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    weight_file = os.path.join(args.fixture_dir, "weights.hdf5")
    if not os.path.exists(weight_file):
        print(f"writing a full-size random BioELMo weight file to {args.fixture_dir} ...")
        write_bilm_fixture(args.fixture_dir, FULL_BIOELMO_OPTIONS, seed=1)
    options_file = os.path.join(args.fixture_dir, "options.json")
    options = BiLmOptions.from_file(options_file)
    flops = options.flops_per_token()
    rate = gemm_rate(args.threads)
    bound = rate * 1e9 / flops
    print(
        f"threads={args.threads}  float32 GEMM {rate:.0f} GFLOP/s  biLM {flops / 1e6:.0f} "
        "MFLOP/token "
        f"-> GEMM bound {bound:.0f} tokens/s"
    )

    ours = BiLm.from_files(options_file, weight_file).eval()
    ours_bf16 = BiLm.from_files(options_file, weight_file).eval().to(torch.bfloat16)
    reference = None
    if not args.skip_allennlp:
        from allennlp.modules.elmo import _ElmoBiLm

        reference = _ElmoBiLm(options_file, weight_file).eval()

    def run_reference(ids):
        reference._elmo_lstm.reset_states()  # stateless, like ours by default
        return reference(ids)

    rng = random.Random(0)
    sentences, source = corpus_sentences(rng)
    print(f"sentences: {source}, 10-40 tokens")
    with torch.no_grad():
        for batch_size in args.batch_sizes:
            batches = [random_batch(batch_size, rng, sentences) for _ in range(args.batches)]
            ours_tps = time_tokens_per_second(ours, batches)
            bf16_tps = time_tokens_per_second(ours_bf16, batches)
            ids = batches[0][0]
            ours_out = ours(ids)["activations"]
            bf16_dev = max(
                float((a - b.float()).abs().max())
                for a, b in zip(ours_out, ours_bf16(ids)["activations"])
            )
            line = (
                f"batch {batch_size}: ours {ours_tps:.0f} tok/s ({ours_tps / bound:.0%} of GEMM "
                "bound)"
                f"  bfloat16 {bf16_tps:.0f} tok/s (max dev {bf16_dev:.3f})"
            )
            if reference is not None:
                ref_tps = time_tokens_per_second(run_reference, batches)
                diff = max(
                    float((a - b).abs().max())
                    for a, b in zip(run_reference(ids)["activations"], ours_out)
                )
                line += f"  allennlp {ref_tps:.0f} tok/s  ratio {ours_tps / ref_tps:.2f}x"
                line += f"  max|diff| {diff:.2e}"
            print(line, flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
