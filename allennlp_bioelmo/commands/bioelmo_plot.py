"""
`allennlp bioelmo-plot`: training curves of `allennlp train` and `bioelmo-finetune` runs in one
PNG (see `allennlp_bioelmo.analysis.training_curves`).
"""

import argparse

from allennlp.commands.subcommand import Subcommand

from allennlp_bioelmo.analysis import AnalysisError
from allennlp_bioelmo.analysis.training_curves import draw_curves, parse_reference, read_run


@Subcommand.register("bioelmo-plot")
class BioElmoPlot(Subcommand):
    """
    Draws the loss and validation metric per epoch of AllenNLP serialization directories, and the
    loss and held-out perplexity of `bioelmo-finetune` directories, several runs in one chart.

    Registered as a `Subcommand` with name "bioelmo-plot".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = (
            "Plot training curves to a PNG: loss and validation metric per epoch of `allennlp "
            "train` directories (metrics_epoch_*.json), loss and held-out perplexity of "
            "`bioelmo-finetune` directories (metrics.jsonl / training_log.jsonl). Needs the viz "
            "extra (matplotlib)."
        )
        subparser = parser.add_parser(
            self.name, description=description, help="Plot training curves to a PNG."
        )
        subparser.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
        subparser.add_argument("--output", required=True, help="the PNG to write")
        subparser.add_argument(
            "--metric",
            help="validation metric of AllenNLP runs (default: an overall/micro F1 if any, else "
            "any F1, accuracy, or the first)",
        )
        subparser.add_argument(
            "--hline",
            action="append",
            default=[],
            metavar="LABEL=VALUE",
            help="a horizontal reference line on the perplexity (else metric) panel; repeatable",
        )
        subparser.add_argument(
            "--names", nargs="+", help="the runs' names in the legends, one per RUN_DIR"
        )
        subparser.add_argument("--title")
        subparser.set_defaults(func=_run)
        return subparser


def _run(args: argparse.Namespace) -> None:
    try:
        references = [parse_reference(text) for text in args.hline]
        names = args.names or [None] * len(args.run_dirs)
        if len(names) != len(args.run_dirs):
            raise AnalysisError(f"--names gives {len(names)} names for {len(args.run_dirs)} runs")
        runs = [read_run(path, args.metric, name) for path, name in zip(args.run_dirs, names)]
        draw_curves(runs, args.output, references, args.title)
    except AnalysisError as error:
        raise SystemExit(f"bioelmo-plot: {error}")
    print(f"wrote {args.output} ({len(runs)} run{'s' if len(runs) > 1 else ''})")
