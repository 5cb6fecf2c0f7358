"""
`allennlp bioelmo-finetune`: continue training a biLM language model (or train one from scratch)
on new text, with checkpoints, resume and a final export in the released format (see
`allennlp_bioelmo.language_model.training`).
"""

import argparse
import json
import os

from allennlp.commands.subcommand import Subcommand

from allennlp_bioelmo.common.config_variables import add_cuda_device_argument
from allennlp_bioelmo.language_model.training import FinetuneSettings, run_finetune


@Subcommand.register("bioelmo-finetune")
class BioElmoFinetune(Subcommand):
    """
    Fine-tunes (or, without `--weight-file`, trains from scratch) a BioELMo language model on text.

    Registered as a `Subcommand` with name "bioelmo-finetune".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = (
            "Continue training a BioELMo biLM on one-sentence-per-line text (or train one from "
            "scratch); rerun to resume; exports weights.hdf5, softmax.hdf5, options.json and "
            "vocab.txt."
        )
        subparser = parser.add_parser(
            self.name, description=description, help="Fine-tune the BioELMo biLM."
        )
        subparser.add_argument("train_file")
        subparser.add_argument("output_dir")
        subparser.add_argument("--options-file", default=os.environ.get("BIOELMO_OPTIONS"))
        subparser.add_argument("--vocab-file", default=os.environ.get("BIOELMO_VOCAB"))
        subparser.add_argument("--weight-file", help="start from these weights (default: random)")
        subparser.add_argument("--softmax-file", help="and this softmax")
        subparser.add_argument("--epochs", type=int, default=1)
        subparser.add_argument("--batch-size", type=int, default=32)
        subparser.add_argument("--learning-rate", type=float, default=0.001)
        subparser.add_argument(
            "--num-samples", type=int, default=8192, help="negatives of the sampled softmax"
        )
        subparser.add_argument("--checkpoint-every", type=int, default=100)
        subparser.add_argument("--max-steps", type=int)
        subparser.add_argument("--seed", type=int, default=0)
        subparser.add_argument(
            "--validation-file", help="held-out text: full-softmax perplexity after every epoch"
        )
        subparser.add_argument(
            "--validate-every", type=int, help="also validate every this many steps"
        )
        subparser.add_argument(
            "--warmup-steps", type=int, default=0, help="linear learning-rate warm-up"
        )
        subparser.add_argument(
            "--lr-schedule",
            choices=["constant", "linear"],
            default="constant",
            help="after warm-up: constant, or linear decay to zero at the last step",
        )
        subparser.add_argument(
            "--grad-clip", type=float, default=10.0, help="gradient norm clip (0: none)"
        )
        subparser.add_argument(
            "--no-tensorboard",
            dest="tensorboard",
            action="store_false",
            help="do not write TensorBoard events beside metrics.jsonl",
        )
        add_cuda_device_argument(subparser)
        subparser.set_defaults(func=_finetune_from_args)
        return subparser


def _finetune_from_args(args: argparse.Namespace) -> None:
    settings = FinetuneSettings(
        options_file=args.options_file,
        vocab_file=args.vocab_file,
        train_file=args.train_file,
        output_dir=args.output_dir,
        weight_file=args.weight_file,
        softmax_file=args.softmax_file,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        num_samples=args.num_samples,
        checkpoint_every=args.checkpoint_every,
        max_steps=args.max_steps,
        seed=args.seed,
        validation_file=args.validation_file,
        validate_every=args.validate_every,
        warmup_steps=args.warmup_steps,
        lr_schedule=args.lr_schedule,
        grad_clip=args.grad_clip,
        cuda_device=args.cuda_device,
        tensorboard=args.tensorboard,
    )
    print(json.dumps(run_finetune(settings), indent=2))
