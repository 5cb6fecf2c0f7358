"""
Every script in `benchmarks/` runs in its `--smoke` mode (the fixture biLM, a few sentences, a few
seconds) and prints its figures, so a benchmark that rots fails here rather than when someone next
needs its figures. Scripts are found by glob: a new one is covered without touching this file
(modules without a `__main__` block, such as the shared harness, are not scripts). The runs see no
`../shared/data`, as in a user's clone.
"""

import glob
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import REPOSITORY_ROOT

BENCHMARKS = os.path.join(REPOSITORY_ROOT, "benchmarks")
sys.path.insert(0, BENCHMARKS)

import harness  # noqa: E402


def _is_script(path: str) -> bool:
    with open(path, encoding="utf-8") as handle:
        return 'if __name__ == "__main__":' in handle.read()


SCRIPTS = sorted(
    os.path.basename(path)
    for path in glob.glob(os.path.join(BENCHMARKS, "*.py"))
    if _is_script(path)
)

NUMBER = r"-?\d+(\.\d+)?(e[+-]\d+)?"
TRAINING_ROW = r"^{label} +test_\S+ {n} .* {n} s/epoch{cache}  best epoch \d+  peak \d+ MB$"


def training_rows(*labels, cache=""):
    """The table rows of a real-corpus script (real_corpus.py) for these settings."""
    return [TRAINING_ROW.format(label=re.escape(label), n=NUMBER, cache=cache) for label in labels]


# --smoke trains BioELMo-small's stand-in and word embeddings
TRAINING_ROWS = training_rows("BioELMo-small (shipped)", "word embeddings (100-d, trained)")
# The figures each script prints (every pattern must match a line); a script not listed here must
# print at least one line with a number in it.
FIGURES = {
    "bilm_throughput.py": [
        rf"^batch 4: largest product .* GEMM bound {NUMBER} tokens/s$",
        rf"^  float32 +ours {NUMBER} tok/s .* allennlp {NUMBER} tok/s \(ours {NUMBER}x\)",
        rf"^peak resident memory of the process {NUMBER} MB$",
    ],
    "bioelmo_small_speed.py": [
        rf"^BioELMo-small +{NUMBER}M parameters +{NUMBER} MFLOP/token$",
        rf"^batch 4: BioELMo-small {NUMBER} tok/s, fixture biLM {NUMBER} tok/s -> {NUMBER}x",
    ],
    "cache_speedup.py": [
        rf"8 sentences \(\d+ tokens\); cache built in {NUMBER} s$",
        rf"^   ner/ncbi_disease +on the fly +{NUMBER} s/epoch +cached +{NUMBER} s/epoch +speed-up",
        rf"^   probing/bc2gm_mlp_crf +on the fly +{NUMBER} s/epoch +cached +{NUMBER} s/epoch",
    ],
    "cdr_ner_real.py": TRAINING_ROWS
    + [
        rf"^BioELMo-small .* test__f1-measure-Chemical {NUMBER}  test__f1-measure-Disease {NUMBER} "
    ],
    "cid_real.py": TRAINING_ROWS
    + [
        r"^test set: [\d,]+ gold CID relations, [\d,]+ unreachable \(.*\); [\d,]+ candidate pairs$",
        rf"^co-occurrence \(every pair is CID\) +test_document-f1 {NUMBER}  "
        rf"test_document-precision {NUMBER}  test_document-recall {NUMBER}  test_micro-f1 {NUMBER}"
        r"  \(no training\)$",
    ],
    "ddi_real.py": TRAINING_ROWS
    + [
        r"^[\d,]+ training and [\d,]+ development documents; development pairs: mechanism [\d,]+, "
        r"effect [\d,]+, advise [\d,]+, int [\d,]+, NONE [\d,]+$",
        rf"^BioELMo-small .* test_micro-f1 {NUMBER} .* test__f1-mechanism {NUMBER} .* "
        rf"test__f1-int ({NUMBER}|n/a) ",
    ],
    "kill_recovery.py": [
        r"^recovered \d+ of \d+$",
        r"^identical to the uninterrupted run: \d+ of \d+$",
    ],
    "ner_real.py": TRAINING_ROWS,
    "probe_real.py": TRAINING_ROWS,
    "re_real.py": TRAINING_ROWS,
    "state_drift.py": [
        r"^3 sentences from .*fixtures/data/ncbi_disease/test.txt",
        rf"^ +zero-state \(mean \|diff\|, cosine dist\): mean {NUMBER} cos {NUMBER}",
        rf"^ +warm-state \(mean \|diff\|, cosine dist\): mean {NUMBER}",
        rf"^ +max \|diff\| per layer: {NUMBER}",
    ],
    "vocab_file_cache.py": [
        rf"^precompute 1,000 words: +{NUMBER} s, \+ *{NUMBER} MB resident at peak",
        rf"^  projected to 2,000 words: +{NUMBER} s",
        rf"^lazy cache, building: +{NUMBER} s, \+ *{NUMBER} MB resident",
        rf"no cache {NUMBER} tokens/s, warm cache \(\d+ tokens kept\) {NUMBER} tokens/s",
    ],
}
# Beyond every script's --smoke: the real-corpus settings and the cache that --smoke leaves out.
EXTRA_RUNS = {
    "probe_real.py --cache --settings random_bilm bioelmo_small_bfloat16": training_rows(
        "random biLM, same dimensions",
        "BioELMo-small, bfloat16 inference",
        cache=rf" \(\+{NUMBER} s cache\)",
    )
}
RUNS = {script: FIGURES.get(script, [NUMBER]) for script in SCRIPTS}
RUNS.update(EXTRA_RUNS)
SMOKE_TIMEOUT = 600  # seconds per script; a smoke run takes a few seconds beyond its imports


def _smoke_run(run: str) -> subprocess.CompletedProcess:
    script, *arguments = run.split()
    # A user's environment: none of the fixture biLM variables the suite's conftest sets, and no
    # ../shared/data (smoke mode must not need it).
    env = {key: value for key, value in os.environ.items() if not key.startswith("BIOELMO_")}
    env["BENCHMARK_SHARED_DATA"] = os.path.join(REPOSITORY_ROOT, "no-shared-data-in-smoke-runs")
    return subprocess.run(
        [sys.executable, os.path.join(BENCHMARKS, script), "--smoke", *arguments],
        cwd=REPOSITORY_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT,
    )


@pytest.fixture(scope="module")
def smoke_runs(request):
    """
    The smoke runs this session selected, all started at once and run two at a time (most of a
    run is importing AllenNLP, on one core): run -> future of its completed process.
    """
    selected = [
        item.callspec.params["run"]
        for item in request.session.items
        if item.module is request.module
        and "run" in getattr(getattr(item, "callspec", None), "params", {})
    ]
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        # the real-corpus runs first: they take longest (a process per setting)
        selected.sort(key=lambda run: "_real.py" not in run)
        futures = {run: pool.submit(_smoke_run, run) for run in selected}
        yield futures
        for future in futures.values():
            future.cancel()


def test_every_benchmark_is_found():
    assert "bilm_throughput.py" in SCRIPTS and "ner_real.py" in SCRIPTS
    assert "harness.py" not in SCRIPTS and "real_corpus.py" not in SCRIPTS
    assert set(FIGURES) <= set(SCRIPTS), "FIGURES names a script that no longer exists"


@pytest.mark.slow
@pytest.mark.parametrize("run", list(RUNS))
def test_benchmark_smoke_mode_prints_its_figures(run, smoke_runs):
    result = smoke_runs[run].result()
    assert result.returncode == 0, f"{run} --smoke failed:\n{result.stderr[-4000:]}"
    lines = [line for line in result.stdout.splitlines() if " - INFO - " not in line]
    output = "\n".join(lines)  # what the script printed, without AllenNLP's logging
    for pattern in RUNS[run]:
        assert re.search(pattern, output, re.MULTILINE), (
            f"{run} --smoke did not print figures like {pattern!r}; it printed:\n" + output[-4000:]
        )


def test_harness_reads_the_column_files_the_benchmarks_rewrite():
    path = os.path.join(harness.FIXTURE_DATA, "ncbi_disease", "train.txt")
    blocks = harness.column_file_blocks(path)
    sentences = harness.column_file_sentences(path)
    assert len(blocks) == len(sentences) == 25
    assert sentences[0][:3] == ["Germline", "mutations", "in"]
    assert blocks[0][0] == ["Germline", "NN", "O", "O"]
    # cache_speedup.py writes blocks back out as training files: the same lines
    with open(path, encoding="utf-8") as handle:
        original = [line.rstrip("\n") for line in handle if line.strip()]
    assert ["\t".join(row) for block in blocks for row in block] == original


def test_harness_corpus_in_smoke_mode_is_the_fixture_corpus():
    assert harness.ncbi_disease_file("dev", smoke=True) == os.path.join(
        harness.FIXTURE_DATA, "ncbi_disease", "dev.txt"
    )
    sentences, source = harness.corpus_sentences(smoke=True)
    assert source == "NCBI-disease fixture sentences"
    assert sentences and all(10 <= len(sentence) <= 40 for sentence in sentences)
    for path in harness.FIXTURE_BILM.values():
        assert os.path.exists(path)


@pytest.mark.skipif(not os.path.exists("/proc/self/clear_refs"), reason="Linux only")
def test_harness_peak_memory_sees_an_allocation_after_a_reset():
    before = harness.reset_peak_memory()
    block = b"x" * (64 * 2**20)  # noqa: F841  (held while measuring)
    assert harness.peak_memory_mb() - before > 48


def test_benchmarks_use_the_library_not_the_commands():
    for path in glob.glob(os.path.join(BENCHMARKS, "*.py")):
        with open(path, encoding="utf-8") as handle:
            assert "allennlp_bioelmo.commands" not in handle.read(), path
