"""
`allennlp bioelmo-convert`: a bilm-tf TensorFlow checkpoint -> weights HDF5 (+ softmax), without
TensorFlow.
"""

import argparse
import os

from allennlp.commands.subcommand import Subcommand

from allennlp_bioelmo.file_formats.checkpoint_conversion import convert_checkpoint


@Subcommand.register("bioelmo-convert")
class BioElmoConvert(Subcommand):
    """
    Converts the released BioELMo (bilm-tf) checkpoint to the HDF5 weights layout the `bioelmo`
    embedder loads, and the softmax to a side file.

    Registered as a `Subcommand` with name "bioelmo-convert".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = (
            "Convert a bilm-tf checkpoint to BioELMo HDF5 weights "
            "(what bilm-tf's dump_weights does)."
        )
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument(
            "checkpoint", help="checkpoint prefix (model.ckpt-N), its .index, or its directory"
        )
        subparser.add_argument("options_file", help="the biLM options JSON")
        subparser.add_argument("weight_file", help="HDF5 file to write")
        subparser.add_argument(
            "--softmax-file",
            help="where to write the softmax (default: <weight_file>.softmax.hdf5)",
        )
        subparser.set_defaults(func=_run)
        return subparser


def _run(args: argparse.Namespace) -> None:
    softmax_file = args.softmax_file or os.path.splitext(args.weight_file)[0] + ".softmax.hdf5"
    counts = convert_checkpoint(args.checkpoint, args.options_file, args.weight_file, softmax_file)
    print(
        f"wrote {counts['bilm_datasets']} biLM datasets to {args.weight_file}"
        + (f" and the softmax to {softmax_file}" if counts["softmax_arrays"] else "")
    )
