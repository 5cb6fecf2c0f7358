"""
`allennlp bioelmo-info`: what the plugin registers, and the shape of a biLM.
"""

import argparse
import json
from typing import Any, Dict, List, Optional

from allennlp.commands.subcommand import Subcommand
from allennlp.common.registrable import Registrable

from allennlp_bioelmo.version import VERSION


def registered_components() -> Dict[str, List[str]]:
    """Base class name -> names registered by classes defined in `allennlp_bioelmo`."""
    found: Dict[str, List[str]] = {}
    for base, registry in Registrable._registry.items():
        for name, (subclass, _) in registry.items():
            if getattr(subclass, "__module__", "").startswith("allennlp_bioelmo"):
                found.setdefault(base.__name__, []).append(name)
    return {base: sorted(names) for base, names in sorted(found.items())}


def bilm_summary(options_file: str, weight_file: Optional[str]) -> Dict[str, Any]:
    """
    Dimensions, parameter count and MFLOP/token of a biLM; checks the weights against the options.
    """
    from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
    from allennlp_bioelmo.file_formats.bilm_weights import read_bilm_tf_datasets

    options = BiLmOptions.from_file(options_file)
    summary: Dict[str, Any] = {
        "options_file": options_file,
        "char_cnn_filters": [list(f) for f in options.filters],
        "n_filters": options.n_filters,
        "n_highway": options.n_highway,
        "lstm_layers": options.n_layers,
        "lstm_cell_dim": options.lstm_dim,
        "projection_dim": options.projection_dim,
        "output_dim": options.output_dim,
        "output_layers": options.num_output_layers,
        "cell_clip": options.cell_clip,
        "proj_clip": options.proj_clip,
        "parameters": options.parameter_count(),
        "mflops_per_token": round(options.flops_per_token() / 1e6, 1),
    }
    if weight_file:
        read_bilm_tf_datasets(weight_file, options)  # validates every dataset against the options
        summary["weight_file"] = weight_file
        summary["weights_match_options"] = True
    return summary


@Subcommand.register("bioelmo-info")
class BioElmoInfo(Subcommand):
    """
    Prints the plugin version and its registered components; given `--options-file` (and
    optionally `--weight-file`), the biLM's dimensions and parameter count, after checking that
    the weights agree with the options.

    Registered as a `Subcommand` with name "bioelmo-info".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = "Show the allennlp-bioelmo version, its components, and a biLM's shape."
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument("--options-file", help="a BioELMo/bilm-tf options JSON")
        subparser.add_argument("--weight-file", help="the matching bilm-tf weights HDF5")
        subparser.add_argument("--json", action="store_true", help="print JSON")
        subparser.set_defaults(func=_run)
        return subparser


def _run(args: argparse.Namespace) -> None:
    info: Dict[str, Any] = {"allennlp_bioelmo": VERSION, "components": registered_components()}
    if args.weight_file and not args.options_file:
        raise SystemExit("bioelmo-info: --weight-file needs --options-file")
    if args.options_file:
        info["bilm"] = bilm_summary(args.options_file, args.weight_file)
    if args.json:
        print(json.dumps(info, indent=2))
        return
    print(f"allennlp-bioelmo {VERSION}")
    for base, names in info["components"].items():
        print(f"  {base}: {', '.join(names)}")
    if "bilm" in info:
        print("biLM:")
        for key, value in info["bilm"].items():
            print(f"  {key}: {value}")
