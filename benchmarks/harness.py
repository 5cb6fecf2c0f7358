"""
What every benchmark script shares: where the corpora and the biLM files are, corpus sentences and
batches, timing (tokens/s), peak memory, and `--smoke`.

* Corpora: the real ones in `../shared/data` (beside CI clones only; `BENCHMARK_SHARED_DATA`
  points elsewhere), else the same NCBI-disease copy in `data/ncbi-disease`, else the fixture
  sentences in `fixtures/data`.
* `--smoke` (every script has it): a few sentences and the tiny fixture biLM of `fixtures/bilm`,
  a few seconds, the same code path and the same kind of table; it never reads `../shared/data`.
  `tests/test_benchmarks.py` runs every script that way.
* Memory, one way for all: `peak_memory_mb` is the peak resident set of the process on CPU (the
  allocated memory on a CUDA device), since the start or since `reset_peak_memory`.

This module imports only the standard library at the top, so a parent process that only starts
children (real_corpus.py) stays light.
"""

import argparse
import os
import random
import resource
import sys
import time
from typing import Callable, List, Optional, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("BENCHMARK_SHARED_DATA") or os.path.join(
    os.path.dirname(ROOT), "shared", "data"
)
FIXTURE_DATA = os.path.join(ROOT, "fixtures", "data")
# The tiny random biLM the tests use, as the config variables name the biLM files.
FIXTURE_BILM = {
    "BIOELMO_OPTIONS": os.path.join(ROOT, "fixtures", "bilm", "options.json"),
    "BIOELMO_WEIGHTS": os.path.join(ROOT, "fixtures", "bilm", "weights.hdf5"),
    "BIOELMO_VOCAB": os.path.join(ROOT, "fixtures", "bilm", "vocab.txt"),
}
SMOKE_HELP = (
    "check that the script runs: a few sentences and the tiny fixture biLM (fixtures/bilm), "
    "a few seconds, figures meaningless"
)

Batch = Tuple["torch.Tensor", int]  # noqa: F821  (character ids, number of tokens)


def add_smoke_argument(parser: argparse.ArgumentParser) -> None:
    """`--smoke`, the same for every script (see the module docs)."""
    parser.add_argument("--smoke", action="store_true", help=SMOKE_HELP)


# ---- corpora ---------------------------------------------------------------------------------


def ncbi_disease_file(split: str, smoke: bool = False) -> str:
    """
    NCBI-disease `split` (train, dev or test): from ../shared/data when present, else the
    identical copy in data/ncbi-disease; with `smoke` (or neither present) the fixture corpus.
    """
    candidates = [
        os.path.join(SHARED, "ncbi-disease", f"{split}.txt"),
        os.path.join(ROOT, "data", "ncbi-disease", f"{split}.txt"),
    ]
    for path in [] if smoke else candidates:
        if os.path.exists(path):
            return path
    return os.path.join(FIXTURE_DATA, "ncbi_disease", f"{split}.txt")


def column_file_blocks(path: str) -> List[List[List[str]]]:
    """
    The sentences of an IOB/CoNLL column file, each a list of rows, each row its tab-separated
    columns (token first); blank lines between sentences.
    """
    sentences, current = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                current.append(line.rstrip("\r\n").split("\t"))
            elif current:
                sentences.append(current)
                current = []
    return sentences + ([current] if current else [])


def column_file_sentences(path: str) -> List[List[str]]:
    """
    Sentences (token lists) of an IOB/CoNLL column file: the first column (of tab- or
    space-separated columns).
    """
    return [[row[0].split()[0] for row in block] for block in column_file_blocks(path)]


def corpus_sentences(
    smoke: bool = False, min_tokens: int = 10, max_tokens: int = 40
) -> Tuple[List[List[str]], str]:
    """
    Real PubMed sentences of `min_tokens`-`max_tokens` tokens, so that token repetition within a
    batch is realistic (NCBI-disease train, see `ncbi_disease_file`), and where they come from.
    """
    path = ncbi_disease_file("train", smoke)
    sentences = [
        s for s in column_file_sentences(path) if min_tokens <= len(s) <= max_tokens
    ] or column_file_sentences(path)
    source = "NCBI-disease train sentences"
    if path.startswith(FIXTURE_DATA):
        source = "NCBI-disease fixture sentences"
    return sentences, source


# ---- batches and timing ----------------------------------------------------------------------


def random_batch(
    batch_size: int, rng: random.Random, sentences: Sequence[List[str]], device=None
) -> Batch:
    """`batch_size` sentences drawn at random: their character ids and their number of tokens."""
    from allennlp_bioelmo.data.bilm_inputs import batch_to_ids

    chosen = [rng.choice(sentences) for _ in range(batch_size)]
    return batch_to_ids(chosen, device=device), sum(len(s) for s in chosen)


def synchronize(device=None) -> None:
    """Wait for a CUDA device's queued work (nothing to wait for on CPU)."""
    import torch

    device = torch.device(device or "cpu")
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def tokens_per_second(run: Callable, batches: List[Batch], device=None) -> float:
    """Tokens/s of `run` over `batches`, after one warm-up call on the first batch."""
    run(batches[0][0])  # warm-up (and, for our biLM, packing the recurrent kernels)
    synchronize(device)
    start = time.perf_counter()
    for ids, _ in batches:
        run(ids)
    synchronize(device)
    return sum(n for _, n in batches) / (time.perf_counter() - start)


# ---- memory ----------------------------------------------------------------------------------


def _cuda(device) -> Optional["torch.device"]:  # noqa: F821
    if device is None or str(device) == "cpu":
        return None
    import torch

    device = torch.device(device)
    return device if device.type == "cuda" else None


def peak_memory_mb(device=None) -> float:
    """
    Peak memory in MB since the process started or `reset_peak_memory(device)`: the resident set
    of the process on CPU, the memory allocated by torch on a CUDA device.
    """
    cuda = _cuda(device)
    if cuda is not None:
        import torch

        return torch.cuda.max_memory_allocated(cuda) / 2**20
    # kilobytes on Linux, bytes on macOS
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
        2**20 if sys.platform == "darwin" else 2**10
    )


def reset_peak_memory(device=None) -> float:
    """
    Make `peak_memory_mb(device)` restart from now (on CPU through /proc/self/clear_refs, Linux)
    and return the memory in use now, in MB: the baseline of a growth `peak - baseline`.
    """
    cuda = _cuda(device)
    if cuda is not None:
        import torch

        torch.cuda.reset_peak_memory_stats(cuda)
        return torch.cuda.memory_allocated(cuda) / 2**20
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")  # the peak resident size restarts from the current one
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
