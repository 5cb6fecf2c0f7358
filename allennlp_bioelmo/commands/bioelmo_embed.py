"""
`allennlp bioelmo-embed`: precompute BioELMo vectors for a file of sentences into an HDF5 file
(AllenNLP 0.9 `allennlp elmo` layout, see `allennlp_bioelmo.file_formats.embedding_file`).
"""

import argparse
import logging
import os
import time

import numpy
import torch
from allennlp.commands.subcommand import Subcommand
from allennlp.common.checks import ConfigurationError
from tqdm import tqdm

from allennlp_bioelmo.common.config_variables import add_cuda_device_argument
from allennlp_bioelmo.data.bilm_inputs import batch_to_ids, read_sentences
from allennlp_bioelmo.file_formats.embedding_file import LAYER_OUTPUTS, EmbeddingFileWriter
from allennlp_bioelmo.modules.bioelmo import BioElmo

logger = logging.getLogger(__name__)


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
) -> None:
    """
    Embed every sentence of `input_file` into `output_file` (AllenNLP 0.9 `elmo` layout), resumably:
    finished batches are kept as part files, so a rerun after an interruption skips them.
    """
    if layers not in LAYER_OUTPUTS:
        raise ConfigurationError(f"layers must be one of {LAYER_OUTPUTS}, got {layers!r}")
    if dtype not in ("float32", "float16"):
        raise ConfigurationError(f"dtype must be float32 or float16, got {dtype!r}")
    sentences = read_sentences(input_file, tokenize_raw_text)
    writer = EmbeddingFileWriter(output_file)
    if os.path.exists(output_file) and not os.path.isdir(writer.parts_dir):
        print(f"{output_file} is complete; nothing to do")
        return
    done = writer.finished_keys()
    todo = [i for i in range(len(sentences)) if str(i) not in done]
    if done:
        print(
            f"resuming: {len(done)} of {len(sentences)} sentences already embedded in "
            f"{writer.parts_dir}"
        )
    # Longest first, so each batch holds sentences of similar length (little padding).
    todo.sort(key=lambda i: -len(sentences[i]))

    bioelmo = BioElmo(options_file, weight_file, dropout=0.0, warm_start=warm_start).eval()
    device = torch.device("cpu" if cuda_device < 0 else f"cuda:{cuda_device}")
    bioelmo.to(device)
    max_characters = bioelmo.bilm.options.max_characters_per_token
    numpy_dtype = numpy.float16 if dtype == "float16" else numpy.float32

    pending = {}
    tokens_done = 0
    start = time.perf_counter()
    progress = tqdm(total=len(todo), unit="sent", desc="bioelmo-embed")
    with torch.no_grad():
        for batch_start in range(0, len(todo), batch_size):
            indices = todo[batch_start : batch_start + batch_size]
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
    sentence_to_index = {" ".join(tokens): str(i) for i, tokens in enumerate(sentences)}
    writer.merge(
        sentence_to_index, {"bioelmo_layers": layers, "bioelmo_dim": bioelmo.bilm.get_output_dim()}
    )
    print(f"wrote {len(sentences)} sentences to {output_file}")


@Subcommand.register("bioelmo-embed")
class BioElmoEmbed(Subcommand):
    """
    Precomputes BioELMo vectors for a file of sentences (one per line) into HDF5, resumably.

    Registered as a `Subcommand` with name "bioelmo-embed".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = (
            "Write BioELMo vectors of each sentence of a file to HDF5 (AllenNLP 0.9 `elmo` "
            "layout); "
            "rerun the same command to resume after an interruption."
        )
        subparser = parser.add_parser(
            self.name, description=description, help="Precompute BioELMo vectors to HDF5."
        )
        subparser.add_argument(
            "input_file",
            help="one sentence per line (whitespace-tokenized), or .jsonl with 'tokens'",
        )
        subparser.add_argument("output_file", help="the HDF5 file to write")
        subparser.add_argument("--options-file", default=os.environ.get("BIOELMO_OPTIONS"))
        subparser.add_argument("--weight-file", default=os.environ.get("BIOELMO_WEIGHTS"))
        subparser.add_argument("--batch-size", type=int, default=64)
        add_cuda_device_argument(subparser)
        subparser.add_argument(
            "--layers",
            choices=LAYER_OUTPUTS,
            default="all",
            help="all: (layers, tokens, dim); top or average: (tokens, dim)",
        )
        subparser.add_argument(
            "--dtype",
            choices=["float32", "float16"],
            default="float32",
            help="float16 halves the file",
        )
        subparser.add_argument(
            "--tokenize",
            action="store_true",
            help="lines are raw text: tokenize with the offline bio_regex tokenizer",
        )
        subparser.add_argument(
            "--warm-start",
            action="store_true",
            help="start each sentence from the warm-start state",
        )
        subparser.set_defaults(
            func=lambda args: embed_file(
                args.input_file,
                args.output_file,
                args.options_file,
                args.weight_file,
                args.batch_size,
                args.cuda_device,
                args.layers,
                args.dtype,
                args.tokenize,
                args.warm_start,
            )
        )
        return subparser
