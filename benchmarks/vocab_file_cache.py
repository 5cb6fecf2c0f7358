"""
The embedder's `vocab_file` with a 1M-word vocabulary (the released BioELMo's size) and full-size
random weights: what precomputing every word's char-CNN vector would cost (time, peak memory), what
the lazy bounded cache costs instead, and the cache's effect on embedding speed, measured in the
same run on the same batches.

    python benchmarks/vocab_file_cache.py [--words 1000000] [--eager-words 1000000] [--threads 2]
    python benchmarks/vocab_file_cache.py --smoke   # fixture biLM, 2,000 words (1,000 eager)

Each measurement runs in its own process, so its peak resident memory is its own. `--eager-words`
below `--words` times precomputation on that many words and scales the time linearly to `--words`
(the char CNN's cost is the same per word) and projects the memory: the stored vectors grow with
the words, the activations of one batch do not.
"""

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from contextlib import nullcontext

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch

from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.testing.bilm_fixtures import (
    FULL_BIOELMO_OPTIONS,
    write_bilm_fixture,
    write_vocabulary,
)
from allennlp_bioelmo.modules.token_vector_cache import TokenVectorCache, token_key
from harness import (
    FIXTURE_BILM,
    add_smoke_argument,
    corpus_sentences,
    peak_memory_mb,
    random_batch,
    reset_peak_memory,
    tokens_per_second,
)


def synthetic_vocabulary(size: int, seed: int = 0):
    """`<S>`, `</S>`, `<UNK>`, then distinct random words of 2-14 letters, digits and hyphens."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
    words = {"<S>", "</S>", "<UNK>"}
    ordered = ["<S>", "</S>", "<UNK>"]
    while len(ordered) < size:
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 14)))
        if word not in words:
            words.add(word)
            ordered.append(word)
    return ordered


def measure_eager(options, weights, vocab_file, words, threads, queue):
    """The 0.1.0 way: every vocabulary word through the char CNN before the first sentence."""
    torch.set_num_threads(threads)
    from allennlp_bioelmo.data.bilm_inputs import read_vocabulary_file
    from allennlp_bioelmo.modules.bilm import BiLm

    bilm = BiLm.from_files(options, weights).eval()
    tokens = ["@@PADDING@@"] + read_vocabulary_file(vocab_file)[:words]
    before = reset_peak_memory()
    start = time.perf_counter()
    bilm.cache_word_vectors(tokens)
    queue.put((time.perf_counter() - start, peak_memory_mb() - before, peak_memory_mb()))


def measure_lazy(options, weights, vocab_file, threads, batch_size, batches, smoke, queue):
    """Building the embedder with `vocab_file`, then tokens/s without and with the cache."""
    torch.set_num_threads(threads)
    from allennlp_bioelmo.data.bilm_inputs import read_vocabulary_file
    from allennlp_bioelmo.modules.bioelmo import BioElmo

    plain = BioElmo(options, weights, dropout=0.0).eval()
    cached = BioElmo(options, weights, dropout=0.0).eval()
    before = reset_peak_memory()
    start = time.perf_counter()
    # what vocab_file adds to the embedder
    cache = TokenVectorCache(read_vocabulary_file(vocab_file), 50, max_size=100_000)
    build_seconds = time.perf_counter() - start
    build_megabytes = peak_memory_mb() - before
    cached.bilm.use_token_cache(cache)

    rng = random.Random(0)
    sentences, source = corpus_sentences(smoke)
    vocabulary = set(open(vocab_file, encoding="utf-8").read().split("\n"))
    # the synthetic vocabulary has none of the corpus's words: make them all vocabulary words
    cached.bilm.token_cache._eligible.update(  # benchmark set-up only
        token_key(token, 50)
        for sentence in sentences
        for token in sentence
        if token not in vocabulary
    )
    test = [random_batch(batch_size, rng, sentences) for _ in range(batches)]
    with torch.no_grad():
        for ids, _ in test:  # fill the cache with the corpus's words, and warm up
            cached(ids)
        difference = max(
            float((plain(ids)["representation"] - cached(ids)["representation"]).abs().max())
            for ids, _ in test[:2]
        )
        speeds = {
            name: tokens_per_second(module, test)
            for name, module in (("no cache", plain), ("warm cache", cached))
        }
    queue.put(
        (
            build_seconds,
            build_megabytes,
            speeds,
            difference,
            len(cached.bilm.token_cache),
            source,
            peak_memory_mb(),
        )
    )


def run(target, *args):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=args + (queue,))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--words", type=int, help="default 1,000,000 (smoke 2,000)")
    parser.add_argument("--eager-words", type=int, help="default 1,000,000 (smoke 1,000)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, help="default 32 (smoke 4)")
    parser.add_argument("--batches", type=int, help="default 8 (smoke 2)")
    parser.add_argument(
        "--fixture-dir", default=os.path.join(tempfile.gettempdir(), "bioelmo_full_random")
    )
    add_smoke_argument(parser)
    args = parser.parse_args()
    args.words = args.words or (2_000 if args.smoke else 1_000_000)
    args.eager_words = args.eager_words or (1_000 if args.smoke else 1_000_000)
    args.batch_size = args.batch_size or (4 if args.smoke else 32)
    args.batches = args.batches or (2 if args.smoke else 8)
    if args.smoke:
        name = "the fixture biLM (smoke)"
        options, weights = FIXTURE_BILM["BIOELMO_OPTIONS"], FIXTURE_BILM["BIOELMO_WEIGHTS"]
    else:
        name = "full-size random BioELMo"
        options = os.path.join(args.fixture_dir, "options.json")
        weights = os.path.join(args.fixture_dir, "weights.hdf5")
        if not os.path.exists(weights):
            write_bilm_fixture(args.fixture_dir, FULL_BIOELMO_OPTIONS, seed=1)
    # smoke: the vocabulary in a folder of its own, not beside the full-size biLM
    folder = tempfile.TemporaryDirectory() if args.smoke else nullcontext(args.fixture_dir)
    with folder as vocab_dir:
        vocab_file = os.path.join(vocab_dir, f"vocab_{args.words}.txt")
        if not os.path.exists(vocab_file):
            write_vocabulary(vocab_file, synthetic_vocabulary(args.words))
        measure(args, name, options, weights, vocab_file)


def measure(args, name, options, weights, vocab_file) -> None:
    print(f"{name}, synthetic vocabulary of {args.words:,} words, {args.threads} threads, float32")
    eager_words = min(args.eager_words, args.words)
    seconds, megabytes, peak = run(
        measure_eager, options, weights, vocab_file, eager_words, args.threads
    )
    print(
        f"precompute {eager_words:,} words: {seconds:8.1f} s, +{megabytes:7.0f} MB resident at "
        f"peak; process peak {peak:.0f} MB"
    )
    if eager_words < args.words:
        # time grows with the words; memory is the stored vectors plus one batch's activations
        dim = BiLmOptions.from_file(options).projection_dim  # the char CNN's output
        stored = lambda words: words * dim * 4 / 2**20  # noqa: E731
        projected = megabytes - stored(eager_words) + stored(args.words)
        print(
            f"  projected to {args.words:,} words: {seconds * args.words / eager_words:8.1f} s, "
            f"+{projected:7.0f} MB ({stored(args.words):.0f} MB of stored {dim}-d vectors)"
        )
    build, build_mb, speeds, difference, kept, source, peak = run(
        measure_lazy,
        options,
        weights,
        vocab_file,
        args.threads,
        args.batch_size,
        args.batches,
        args.smoke,
    )
    print(
        f"lazy cache, building:   {build:8.1f} s, +{build_mb:7.0f} MB resident "
        f"(reading vocab_file into the cache); process peak {peak:.0f} MB"
    )
    print(
        f"embedding {source}, batch {args.batch_size}: no cache {speeds['no cache']:.0f} "
        f"tokens/s, warm cache ({kept:,} tokens kept) {speeds['warm cache']:.0f} tokens/s, "
        f"ratio {speeds['warm cache'] / speeds['no cache']:.2f}; max difference {difference:.1e}"
    )


if __name__ == "__main__":
    main()
