"""
`allennlp bioelmo-embed`: precompute BioELMo vectors for a file of sentences into an HDF5 file
(AllenNLP 0.9 `allennlp elmo` layout, see `allennlp_bioelmo.file_formats.embedding_file`), in one
process or across the workers of a `torch.distributed` run (`torchrun`, or `--world-size`/`--rank`).
The arguments only: the work is `allennlp_bioelmo.precomputed_vectors.embed_file`.
"""

import argparse
import os

from allennlp.commands.subcommand import Subcommand

from allennlp_bioelmo.common.config_variables import add_cuda_device_argument
from allennlp_bioelmo.file_formats.embedding_file import LAYER_OUTPUTS
from allennlp_bioelmo.modules.bioelmo import INFERENCE_DTYPES
from allennlp_bioelmo.precomputed_vectors import embed_file


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
            "--inference-dtype",
            choices=sorted(INFERENCE_DTYPES) + ["auto"],
            default="float32",
            help="what the biLM computes in (bfloat16: faster on CPUs with AMX or AVX512-BF16; "
            "auto: bfloat16 where the CPU has them)",
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
        distributed = subparser.add_argument_group(
            "several workers",
            "Under torchrun the worker count and rank come from its environment; on machines "
            "started by hand give --world-size and --rank, with MASTER_ADDR and MASTER_PORT "
            "naming rank 0's machine. All workers must see the output folder.",
        )
        distributed.add_argument(
            "--world-size",
            type=int,
            default=int(os.environ.get("WORLD_SIZE", "1")),
            help="number of workers (default: WORLD_SIZE, else 1)",
        )
        distributed.add_argument(
            "--rank",
            type=int,
            default=int(os.environ.get("RANK", "0")),
            help="this worker's rank (default: RANK, else 0)",
        )
        distributed.add_argument(
            "--init-method",
            default="env://",
            help="torch.distributed init method (default env://: MASTER_ADDR and MASTER_PORT)",
        )
        subparser.set_defaults(func=_run_from_arguments)
        return subparser


def _run_from_arguments(args: argparse.Namespace) -> None:
    cuda_device = args.cuda_device
    if cuda_device >= 0:
        # under torchrun every worker of a machine takes its own GPU
        cuda_device += int(os.environ.get("LOCAL_RANK", "0"))
    embed_file(
        args.input_file,
        args.output_file,
        args.options_file,
        args.weight_file,
        batch_size=args.batch_size,
        cuda_device=cuda_device,
        layers=args.layers,
        dtype=args.dtype,
        tokenize_raw_text=args.tokenize,
        warm_start=args.warm_start,
        world_size=args.world_size,
        rank=args.rank,
        init_method=args.init_method,
        inference_dtype=args.inference_dtype,
    )
