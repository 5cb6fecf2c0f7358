"""
Precomputed vectors: BioELMo's biLM layers for every sentence of a file, computed once into an
HDF5 file (the layout of `allennlp_bioelmo.file_formats.embedding_file`) that the
`bioelmo_cached` embedder reads instead of running the frozen biLM every epoch. What
`allennlp bioelmo-embed` runs.

Sentences go through a frozen `BioElmo` in length-sorted batches (`shard_batches`); finished
batches are written as atomic part files, so an interrupted run resumes where it stopped. Across
the workers of a `torch.distributed` run each worker embeds its shard of the batches and rank 0
merges all parts into the file a single process writes.
"""

import datetime
import logging
import os
import time
from typing import List, Sequence

import numpy
import torch
import torch.distributed
from allennlp.common.checks import ConfigurationError
from tqdm import tqdm

from allennlp_bioelmo.data.bilm_inputs import batch_to_ids, read_sentences
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.file_formats.embedding_file import LAYER_OUTPUTS, EmbeddingFileWriter
from allennlp_bioelmo.modules.bioelmo import BioElmo

logger = logging.getLogger(__name__)

# Workers that finish their shard early wait for the others before rank 0 merges; a shard of
# PubMed-scale text can take many hours, far beyond torch.distributed's default 30 minutes.
MERGE_WAIT = datetime.timedelta(days=7)


def shard_batches(
    lengths: Sequence[int], batch_size: int, world_size: int = 1, rank: int = 0
) -> List[List[int]]:
    """
    The batches (lists of sentence indices) that worker `rank` of `world_size` embeds. All
    sentences are ordered longest first (so a batch holds similar lengths and little padding) and
    cut into batches of `batch_size`; batch `b` belongs to worker `b % world_size`. The batches
    depend only on the sentence lengths, so every worker count, and every resumed run, puts each
    sentence in the same batch and gets the same vectors.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]
    return batches[rank::world_size]


def embed_file(
    input_file: str,
    output_file: str,
    options_file: str,
    weight_file: str,
    batch_size: int = 64,
    cuda_device: int = -1,
    layers: str = "all",
    dtype: str = "float32",
    tokenize_raw_text: bool = False,
    warm_start: bool = False,
    batches_per_part: int = 8,
    world_size: int = 1,
    rank: int = 0,
    init_method: str = "env://",
    inference_dtype: str = "float32",
) -> None:
    """
    Embed every sentence of `input_file` into `output_file` (AllenNLP 0.9 `elmo` layout), resumably:
    finished batches are kept as part files, so a rerun after an interruption skips them.
    `dtype` is what the file stores; `inference_dtype` what the biLM computes in (`BioElmo`'s).

    With `world_size > 1` this process is worker `rank` of a `torch.distributed` group (joined
    through `init_method`; `env://` reads `MASTER_ADDR`/`MASTER_PORT` as `torchrun` sets them):
    it embeds its shard of the batches (`shard_batches`), waits for the others, and rank 0 merges
    all parts into `output_file`. The output folder must be shared by all workers.
    """
    if layers not in LAYER_OUTPUTS:
        raise ConfigurationError(f"layers must be one of {LAYER_OUTPUTS}, got {layers!r}")
    if dtype not in ("float32", "float16"):
        raise ConfigurationError(f"dtype must be float32 or float16, got {dtype!r}")
    if world_size < 1 or not 0 <= rank < world_size:
        raise ConfigurationError(f"rank must be in [0, world_size), got {rank} of {world_size}")
    sentences = read_sentences(input_file, tokenize_raw_text)
    writer = EmbeddingFileWriter(output_file, rank=rank)
    if os.path.exists(output_file) and not os.path.isdir(writer.parts_dir):
        print(f"{output_file} is complete; nothing to do")
        return
    distributed = world_size > 1 and not torch.distributed.is_initialized()
    if distributed:
        # gloo everywhere: the workers only meet to wait for each other, never to move tensors
        torch.distributed.init_process_group(
            "gloo", init_method=init_method, world_size=world_size, rank=rank, timeout=MERGE_WAIT
        )
    try:
        _embed_shard(
            sentences, writer, options_file, weight_file, batch_size, cuda_device, layers, dtype,
            warm_start, batches_per_part, world_size, rank, inference_dtype,
        )  # fmt: skip
        if world_size > 1:
            torch.distributed.barrier()
        if rank == 0:
            bioelmo_dim = BiLmOptions.from_file(options_file).output_dim
            sentence_to_index = {" ".join(tokens): str(i) for i, tokens in enumerate(sentences)}
            writer.merge(sentence_to_index, {"bioelmo_layers": layers, "bioelmo_dim": bioelmo_dim})
            print(f"wrote {len(sentences)} sentences to {output_file}")
    finally:
        if distributed:
            torch.distributed.destroy_process_group()


def _embed_shard(
    sentences: List[List[str]],
    writer: EmbeddingFileWriter,
    options_file: str,
    weight_file: str,
    batch_size: int,
    cuda_device: int,
    layers: str,
    dtype: str,
    warm_start: bool,
    batches_per_part: int,
    world_size: int,
    rank: int,
    inference_dtype: str,
) -> None:
    """This worker's batches, written as part files (see `embed_file`)."""
    done = writer.finished_keys()
    batches = []
    for batch in shard_batches([len(s) for s in sentences], batch_size, world_size, rank):
        todo = [i for i in batch if str(i) not in done]
        if todo:
            batches.append(todo)
    worker = f" (worker {rank} of {world_size})" if world_size > 1 else ""
    if done:
        print(
            f"resuming{worker}: {len(done)} of {len(sentences)} sentences already embedded in "
            f"{writer.parts_dir}"
        )

    bioelmo = BioElmo(
        options_file,
        weight_file,
        dropout=0.0,
        warm_start=warm_start,
        inference_dtype=inference_dtype,
    ).eval()
    device = torch.device("cpu" if cuda_device < 0 else f"cuda:{cuda_device}")
    bioelmo.to(device)
    max_characters = bioelmo.bilm.options.max_characters_per_token
    numpy_dtype = numpy.float16 if dtype == "float16" else numpy.float32

    pending = {}
    tokens_done = 0
    start = time.perf_counter()
    total = sum(len(batch) for batch in batches)
    progress = tqdm(total=total, unit="sent", desc="bioelmo-embed" + worker, position=rank)
    with torch.no_grad():
        for indices in batches:
            ids = batch_to_ids([sentences[i] for i in indices], max_characters, device)
            activations = torch.stack(bioelmo.bilm_activations(ids)[0]).cpu()  # (L, B, T + 2, D)
            for row, index in enumerate(indices):
                length = len(sentences[index])
                vectors = activations[:, row, 1 : length + 1].numpy()
                if layers == "top":
                    vectors = vectors[-1]
                elif layers == "average":
                    vectors = vectors.mean(axis=0)
                pending[str(index)] = vectors.astype(numpy_dtype)
                tokens_done += length
            progress.update(len(indices))
            elapsed = time.perf_counter() - start
            progress.set_postfix(
                sent_per_s=f"{progress.n / elapsed:.1f}", tok_per_s=f"{tokens_done / elapsed:.0f}"
            )
            if len(pending) >= batches_per_part * batch_size:
                writer.write_part(pending)
                pending = {}
    if pending:
        writer.write_part(pending)
    progress.close()
    print(f"embedded {total} sentences{worker}")
