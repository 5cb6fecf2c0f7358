"""
`allennlp bioelmo-senses`: what each layer of the biLM makes of a term's occurrences (see
`allennlp_bioelmo.analysis.senses`).
"""

import argparse

from allennlp.commands.subcommand import Subcommand

from allennlp_bioelmo.analysis import AnalysisError
from allennlp_bioelmo.analysis.neighbour_purity import METRICS
from allennlp_bioelmo.analysis.senses import DEFAULT_MAX_OCCURRENCES, SensesSettings, run_senses
from allennlp_bioelmo.analysis.term_occurrences import INPUT_FORMATS, LABEL_SOURCES
from allennlp_bioelmo.common.config_variables import add_cuda_device_argument


@Subcommand.register("bioelmo-senses")
class BioElmoSenses(Subcommand):
    """
    The biLM's vectors of every occurrence of a term, layer by layer, coloured by label (gold
    mentions, abbreviation definitions or a label file): a PNG (PCA and t-SNE per layer), an
    HTML page with each point's sentence on hover, and nearest-neighbour purity per layer.

    Registered as a `Subcommand` with name "bioelmo-senses".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = (
            "Plot and score the biLM's vectors of a term's occurrences in every layer (char CNN, "
            "each LSTM layer, a trained model's mix): PCA and t-SNE by label, nearest-neighbour "
            "purity at k and 1-NN accuracy. Needs the viz extra (matplotlib, scikit-learn)."
        )
        subparser = parser.add_parser(
            self.name, description=description, help="Look at a term's senses layer by layer."
        )
        subparser.add_argument(
            "input_file",
            help="plain text (a document per line), whitespace-tokenized sentences, PubTator, "
            "BioC XML/JSON, BRAT or DDI XML",
        )
        subparser.add_argument(
            "--term",
            action="append",
            required=True,
            dest="terms",
            help="the term (whole tokens, case-sensitive); repeat for several",
        )
        subparser.add_argument(
            "--output-dir", required=True, help="where senses.png, senses.html, scores.json go"
        )
        subparser.add_argument(
            "--input-format",
            choices=INPUT_FORMATS,
            help="default: detected (document formats by content; 'sentences' when punctuation "
            "stands apart as tokens, else 'text')",
        )
        subparser.add_argument(
            "--labels",
            help=f"label source: {', '.join(LABEL_SOURCES)} (Schwartz-Hearst definitions in the "
            "same document), or a JSON-lines file of {tokens|text, start, end, label}; default "
            "gold for annotated documents, abbreviations otherwise",
        )
        subparser.add_argument(
            "--label-map",
            help='a JSON object {"label": "new label" or null} applied to the labels, e.g. to '
            "merge variants of one long form",
        )
        subparser.add_argument(
            "--options-file", help="biLM options (default: BIOELMO_OPTIONS, BioELMo-small)"
        )
        subparser.add_argument(
            "--weight-file", help="biLM weights (default: BIOELMO_WEIGHTS, BioELMo-small)"
        )
        subparser.add_argument(
            "--model",
            help="a model.tar.gz with a bioelmo embedder: its biLM, plus its layer mix as a "
            "layer of its own (instead of --options-file/--weight-file)",
        )
        subparser.add_argument("--name", help="the biLM's name in titles")
        subparser.add_argument("--batch-size", type=int, default=32)
        subparser.add_argument(
            "--max-occurrences",
            type=int,
            default=DEFAULT_MAX_OCCURRENCES,
            help="sample this many occurrences (seeded) when there are more (default %(default)s)",
        )
        subparser.add_argument(
            "--seed", type=int, default=0, help="of the sample and of t-SNE (default 0)"
        )
        subparser.add_argument(
            "--k", type=int, default=5, help="neighbours for purity (default %(default)s)"
        )
        subparser.add_argument("--metric", choices=METRICS, default="cosine")
        add_cuda_device_argument(subparser)
        subparser.set_defaults(func=_run)
        return subparser


def _run(args: argparse.Namespace) -> None:
    settings = SensesSettings(
        input_file=args.input_file,
        terms=tuple(args.terms),
        output_dir=args.output_dir,
        input_format=args.input_format,
        labels=args.labels,
        label_map=args.label_map,
        options_file=args.options_file,
        weight_file=args.weight_file,
        model=args.model,
        name=args.name,
        batch_size=args.batch_size,
        cuda_device=args.cuda_device,
        max_occurrences=args.max_occurrences,
        seed=args.seed,
        k=args.k,
        metric=args.metric,
    )
    try:
        run_senses(settings)
    except AnalysisError as error:
        raise SystemExit(f"bioelmo-senses: {error}")
