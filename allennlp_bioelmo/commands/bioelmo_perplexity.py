"""
`allennlp bioelmo-perplexity`: forward and backward perplexity of a biLM language model on a text
file (one whitespace-tokenized sentence per line, bilm-tf's data format).
"""
import argparse
import math
import os
from typing import Dict, List

import torch
from allennlp.commands.subcommand import Subcommand
from tqdm import tqdm

from allennlp_bioelmo.commands.bioelmo_embed import read_sentences
from allennlp_bioelmo.modules.bilm_language_model import BiLmLanguageModel
from allennlp_bioelmo.modules.token_embedders.bioelmo_token_embedder import read_vocabulary_file


def perplexity(model: BiLmLanguageModel, sentences: List[List[str]], batch_size: int = 32) -> Dict[str, float]:
    """exp(mean negative log-likelihood per predicted token), full softmax, per direction."""
    totals = {"forward_nll": 0.0, "backward_nll": 0.0, "forward_tokens": 0, "backward_tokens": 0}
    model.eval()
    with torch.no_grad():
        for start in tqdm(range(0, len(sentences), batch_size), desc="perplexity", unit="batch"):
            output = model(**model.batch(sentences[start : start + batch_size]))
            for key in totals:
                totals[key] += output[key].item()
    return {
        "forward": math.exp(totals["forward_nll"] / totals["forward_tokens"]),
        "backward": math.exp(totals["backward_nll"] / totals["backward_tokens"]),
        "tokens": int(totals["forward_tokens"]),
    }


@Subcommand.register("bioelmo-perplexity")
class BioElmoPerplexity(Subcommand):
    """
    Forward and backward perplexity of a biLM (HDF5 weights + softmax side file) on a text file.

    Registered as a `Subcommand` with name "bioelmo-perplexity".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = "Forward/backward perplexity of a BioELMo language model on one-sentence-per-line text."
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument("text_file")
        subparser.add_argument("--options-file", default=os.environ.get("BIOELMO_OPTIONS"))
        subparser.add_argument("--vocab-file", default=os.environ.get("BIOELMO_VOCAB"))
        subparser.add_argument("--weight-file", required=True)
        subparser.add_argument("--softmax-file", required=True, help="written by bioelmo-convert or bioelmo-finetune")
        subparser.add_argument("--batch-size", type=int, default=32)
        subparser.set_defaults(func=_run)
        return subparser


def _run(args: argparse.Namespace) -> None:
    model = BiLmLanguageModel.from_files(args.options_file, read_vocabulary_file(args.vocab_file),
                                         args.weight_file, args.softmax_file)
    result = perplexity(model, read_sentences(args.text_file, False), args.batch_size)
    print(f"forward perplexity {result['forward']:.2f}  backward perplexity {result['backward']:.2f}  "
          f"({result['tokens']} predicted tokens per direction)")
