"""
`allennlp bioelmo-perplexity`: forward and backward perplexity of a biLM language model on a text
file (one whitespace-tokenized sentence per line, bilm-tf's data format).
"""

import argparse
import os

import torch
from allennlp.commands.subcommand import Subcommand

from allennlp_bioelmo.common.config_variables import add_cuda_device_argument
from allennlp_bioelmo.data.bilm_inputs import read_sentences, read_vocabulary_file
from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel
from allennlp_bioelmo.language_model.evaluation import perplexity


@Subcommand.register("bioelmo-perplexity")
class BioElmoPerplexity(Subcommand):
    """
    Forward and backward perplexity of a biLM (HDF5 weights + softmax side file) on a text file.

    Registered as a `Subcommand` with name "bioelmo-perplexity".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = (
            "Forward/backward perplexity of a BioELMo language model on one-sentence-per-line text."
        )
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument("text_file")
        subparser.add_argument("--options-file", default=os.environ.get("BIOELMO_OPTIONS"))
        subparser.add_argument("--vocab-file", default=os.environ.get("BIOELMO_VOCAB"))
        subparser.add_argument("--weight-file", default=os.environ.get("BIOELMO_WEIGHTS"))
        subparser.add_argument(
            "--softmax-file",
            default=os.environ.get("BIOELMO_SOFTMAX"),
            help="written by bioelmo-convert or bioelmo-finetune (default: BIOELMO_SOFTMAX)",
        )
        subparser.add_argument("--batch-size", type=int, default=32)
        add_cuda_device_argument(subparser)
        subparser.set_defaults(func=_run)
        return subparser


def _run(args: argparse.Namespace) -> None:
    model = BiLmLanguageModel.from_files(
        args.options_file,
        read_vocabulary_file(args.vocab_file),
        args.weight_file,
        args.softmax_file,
    )
    if args.cuda_device >= 0:
        model.to(torch.device(f"cuda:{args.cuda_device}"))
    result = perplexity(model, read_sentences(args.text_file, False), args.batch_size)
    print(
        f"forward perplexity {result['forward']:.2f}  backward perplexity "
        f"{result['backward']:.2f}  ({result['tokens']} predicted tokens per direction)"
    )
