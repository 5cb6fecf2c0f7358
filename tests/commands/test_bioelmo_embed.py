import json
import os
import signal
import subprocess
import time

import h5py
import numpy
import pytest
import torch

from allennlp_bioelmo.precomputed_vectors import embed_file, shard_batches
from tests import REPOSITORY_ROOT
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from allennlp_bioelmo.file_formats.embedding_file import EmbeddingFileWriter
from allennlp_bioelmo.modules.bilm import BiLm
from tests.commands.cli import ALLENNLP
from tests.conftest import TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS
from tests.modules.bilm_test_utils import char_ids

SENTENCES = [
    "Germline mutations in BRCA1 cause breast cancer .",
    "p53",
    "IL - 2 levels rose in 1,024 patients .",
]


@pytest.fixture
def sentence_file(tmp_path):
    path = tmp_path / "sentences.txt"
    path.write_text("\n".join(SENTENCES) + "\n")
    return path


def expected_layers(sentence):
    bilm = BiLm.from_files(TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)
    with torch.no_grad():
        activations = bilm(char_ids([sentence.split()]))["activations"]
    return numpy.stack([layer[0, 1 : len(sentence.split()) + 1].numpy() for layer in activations])


def test_layout_matches_allennlp_elmo_command(sentence_file, tmp_path):
    output = tmp_path / "vectors.hdf5"
    embed_file(str(sentence_file), str(output), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, batch_size=2)
    with h5py.File(output, "r") as handle:
        assert sorted(handle.keys()) == ["0", "1", "2", "sentence_to_index"]
        index = json.loads(handle["sentence_to_index"][0])
        assert index == {sentence: str(i) for i, sentence in enumerate(SENTENCES)}
        for i, sentence in enumerate(SENTENCES):
            assert handle[str(i)].shape == (3, len(sentence.split()), 32)
            numpy.testing.assert_allclose(handle[str(i)][...], expected_layers(sentence), atol=1e-5)
    assert not os.path.exists(str(output) + ".parts")


@pytest.mark.parametrize(
    "layers, dtype, shape", [("top", "float32", (8, 32)), ("average", "float16", (8, 32))]
)
def test_top_average_and_float16(sentence_file, tmp_path, layers, dtype, shape):
    output = tmp_path / "vectors.hdf5"
    embed_file(
        str(sentence_file),
        str(output),
        TEST_BILM_OPTIONS,
        TEST_BILM_WEIGHTS,
        layers=layers,
        dtype=dtype,
    )
    expected = expected_layers(SENTENCES[0])
    expected = expected[-1] if layers == "top" else expected.mean(axis=0)
    with h5py.File(output, "r") as handle:
        assert handle["0"].shape == shape and handle["0"].dtype == numpy.dtype(dtype)
        numpy.testing.assert_allclose(
            handle["0"][...].astype(numpy.float32),
            expected,
            atol=1e-5 if dtype == "float32" else 2e-3,
        )


def test_raw_text_and_jsonl_inputs(tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text("IL-2 (0.5 mg/kg) rose.\n")
    output = tmp_path / "raw.hdf5"
    embed_file(str(raw), str(output), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, tokenize_raw_text=True)
    with h5py.File(output, "r") as handle:
        assert json.loads(handle["sentence_to_index"][0]) == {"IL - 2 ( 0.5 mg / kg ) rose .": "0"}
    jsonl = tmp_path / "tokens.jsonl"
    jsonl.write_text('{"tokens": ["p53", "binds"]}\n')
    embed_file(str(jsonl), str(tmp_path / "j.hdf5"), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)
    with h5py.File(tmp_path / "j.hdf5", "r") as handle:
        assert handle["0"].shape == (3, 2, 32)


def test_bad_input(tmp_path):
    path = tmp_path / "gaps.txt"
    path.write_text("one sentence\n\nanother\n")
    with pytest.raises(DataFormatError, match="gaps.txt, line 2: empty line"):
        embed_file(str(path), str(tmp_path / "o.hdf5"), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)


def test_utf8_bom_is_not_part_of_the_first_token_or_its_key(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfGermline BRCA1\r\np53\r\n")
    output = tmp_path / "bom.hdf5"
    embed_file(str(path), str(output), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS)
    with h5py.File(output, "r") as handle:
        assert json.loads(handle["sentence_to_index"][0]) == {"Germline BRCA1": "0", "p53": "1"}
        numpy.testing.assert_allclose(
            handle["0"][...], expected_layers("Germline BRCA1"), atol=1e-5
        )


def test_resumes_after_kill_minus_9_without_rewriting_or_corrupting(tmp_path):
    rng = numpy.random.default_rng(0)
    words = [
        "gene",
        "protein",
        "cancer",
        "BRCA1",
        "p53",
        "cells",
        "of",
        "the",
        "in",
        "mutations",
        "IL-2",
    ]
    lines = [" ".join(rng.choice(words, size=rng.integers(3, 15))) for _ in range(3000)]
    source = tmp_path / "many.txt"
    source.write_text("\n".join(lines) + "\n")
    output = tmp_path / "many.hdf5"
    command = [
        ALLENNLP,
        "bioelmo-embed",
        str(source),
        str(output),
        "--batch-size",
        "8",
        "--options-file",
        TEST_BILM_OPTIONS,
        "--weight-file",
        TEST_BILM_WEIGHTS,
    ]
    process = subprocess.Popen(
        command, cwd=REPOSITORY_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    parts = tmp_path / "many.hdf5.parts"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(parts.glob("part-*.hdf5"))) < 2:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not output.exists(), "finished before it could be killed"
    done_before = sum(len(h5py.File(p, "r").keys()) for p in parts.glob("part-*.hdf5"))
    assert 0 < done_before < len(lines)

    resumed = subprocess.run(
        command, cwd=REPOSITORY_ROOT, capture_output=True, text=True, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"resuming: {done_before} of {len(lines)} sentences" in resumed.stdout
    clean = tmp_path / "clean.hdf5"
    embed_file(str(source), str(clean), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, batch_size=64)
    with h5py.File(output, "r") as got, h5py.File(clean, "r") as want:
        assert sorted(got.keys()) == sorted(want.keys())
        for key in want:
            if key != "sentence_to_index":
                numpy.testing.assert_allclose(got[key][...], want[key][...], atol=1e-5)
        assert got["sentence_to_index"][0] == want["sentence_to_index"][0]


def test_shards_cover_every_batch_once_and_keep_batches_whole():
    lengths = [3, 9, 1, 9, 4, 4, 7, 2, 8, 5, 6]
    single = shard_batches(lengths, batch_size=3)
    assert single == [[1, 3, 8], [6, 10, 9], [4, 5, 0], [7, 2]]  # longest first, stable ties
    for world_size in (2, 3, 5):
        shards = [shard_batches(lengths, 3, world_size, rank) for rank in range(world_size)]
        assert sorted(batch for shard in shards for batch in shard) == sorted(single)


def _read_embedding_file(path):
    with h5py.File(path, "r") as handle:
        arrays = {key: handle[key][...] for key in handle}
        return arrays, dict(handle.attrs)


def test_two_gloo_workers_write_the_single_process_file_and_a_rerun_skips_finished_batches(
    tmp_path,
):
    rng = numpy.random.default_rng(1)
    words = ["gene", "BRCA1", "p53", "of", "the", "tumour", "IL-2", "cells", "("]
    lines = [" ".join(rng.choice(words, size=rng.integers(1, 20))) for _ in range(41)]
    source = tmp_path / "sentences.txt"
    source.write_text("\n".join(lines) + "\n")
    single = tmp_path / "single.hdf5"
    # one thread, as each worker below: matrix products split over other thread counts round
    # differently, and the comparison is bit for bit
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        embed_file(str(source), str(single), TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS, batch_size=4)
    finally:
        torch.set_num_threads(threads)
    want, want_attributes = _read_embedding_file(single)

    # Worker 1 had finished its first batch before it was killed: its part file is there.
    output = tmp_path / "distributed.hdf5"
    finished = shard_batches([len(line.split()) for line in lines], 4, 2, 1)[0]
    EmbeddingFileWriter(str(output), rank=1).write_part({str(i): want[str(i)] for i in finished})

    command = [
        os.path.join(os.path.dirname(ALLENNLP), "torchrun"),
        "--standalone",
        "--nproc_per_node",
        "2",
        ALLENNLP,
        "bioelmo-embed",
        str(source),
        str(output),
        "--batch-size",
        "4",
        "--cuda-device",
        "-1",
        "--options-file",
        TEST_BILM_OPTIONS,
        "--weight-file",
        TEST_BILM_WEIGHTS,
    ]
    result = subprocess.run(
        command,
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # 11 batches of 4 and 1 (41 sentences): worker 0 has 6 batches, worker 1 has 5, one done
    assert "embedded 21 sentences (worker 0 of 2)" in result.stdout
    assert "resuming (worker 1 of 2): 4 of 41 sentences already embedded" in result.stdout
    assert "embedded 16 sentences (worker 1 of 2)" in result.stdout
    assert not os.path.exists(str(output) + ".parts")
    got, got_attributes = _read_embedding_file(output)
    assert sorted(got) == sorted(want)
    for key in want:
        numpy.testing.assert_array_equal(got[key], want[key], err_msg=key)
    assert got_attributes == want_attributes


def test_bfloat16_inference_stays_near_float32(sentence_file, tmp_path):
    vectors = {}
    for inference_dtype in ("float32", "bfloat16"):
        output = tmp_path / f"{inference_dtype}.hdf5"
        embed_file(
            str(sentence_file),
            str(output),
            TEST_BILM_OPTIONS,
            TEST_BILM_WEIGHTS,
            inference_dtype=inference_dtype,
        )
        vectors[inference_dtype], _ = _read_embedding_file(output)
    for key in map(str, range(len(SENTENCES))):
        exact, approximate = vectors["float32"][key], vectors["bfloat16"][key]
        assert approximate.dtype == numpy.float32
        scale = numpy.abs(exact).max()
        assert 0 < numpy.abs(approximate - exact).max() <= 0.05 * scale
