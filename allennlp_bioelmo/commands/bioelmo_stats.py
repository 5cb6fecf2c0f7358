"""
`allennlp bioelmo-stats`: what a dataset reader makes of a file, as one JSON object on stdout.
"""

import argparse
import json
import logging
import sys
from typing import Any, Dict, Optional

from allennlp.commands.subcommand import Subcommand
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.data.dataset_readers.dataset_reader import DatasetReader

from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError

logger = logging.getLogger(__name__)


def reader_params(reader: Optional[str], config: Optional[str], overrides: str = "") -> Params:
    """
    The dataset reader's parameters: `reader` (a JSON object, e.g. `{"type": "bio_bioc"}`), or
    the `dataset_reader` of the training config `config`, loaded as `allennlp train` loads it
    (`Params.from_file`: Jsonnet with the environment as its external variables, `overrides`
    applied).
    """
    if (reader is None) == (config is None):
        raise ConfigurationError("bioelmo-stats needs exactly one of --reader and --config")
    if reader is not None:
        try:
            value = json.loads(reader)
        except json.JSONDecodeError as error:
            raise ConfigurationError(f"--reader is not valid JSON: {error}") from None
        if not isinstance(value, dict):
            raise ConfigurationError(
                f'--reader must be a JSON object such as {{"type": "bio_bioc"}}, got {reader!r}'
            )
        return Params(value)
    params = Params.from_file(config, overrides)
    if "dataset_reader" not in params:
        raise ConfigurationError(f"{config} has no dataset_reader")
    return params


def reader_statistics(file_path: str, params: Params) -> Dict[str, Any]:
    """Reads `file_path` with the reader `params` describe; returns its `statistics.to_dict()`."""
    reader = DatasetReader.from_params(params)
    if not hasattr(reader, "statistics"):
        raise ConfigurationError(
            f"the {type(reader).__name__} reader keeps no statistics; bioelmo-stats works with "
            "the readers that do (bio_pubtator, bio_brat, bio_bioc, bio_ddi_xml and other "
            "document readers)"
        )
    instances = sum(1 for _ in reader.read(file_path))
    logger.info("%s: %d instances", file_path, instances)
    return reader.statistics.to_dict()


@Subcommand.register("bioelmo-stats")
class BioElmoStats(Subcommand):
    """
    Reads a data file with a dataset reader and prints the reader's statistics (its
    `statistics.to_dict()`: documents, sentences, tokens, every mention read, placed or dropped
    with the reason, by type; relations for relation readers) as one JSON object on stdout; logs
    go to stderr. The reader comes from `--reader '<JSON parameters>'` or from a training
    config's `dataset_reader` (`--config`, environment variables applied as `allennlp train`
    applies them; without FILE, the config's `train_data_path` is read).

    Registered as a `Subcommand` with name "bioelmo-stats".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = (
            "Print what a dataset reader makes of a file (documents, sentences, tokens, mentions "
            "read / placed / dropped and why) as one JSON object."
        )
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument(
            "file", nargs="?", help="the data file (or directory); default: --config's train data"
        )
        subparser.add_argument(
            "--reader",
            help='the dataset reader\'s parameters as JSON, e.g. \'{"type": "bio_bioc"}\'',
        )
        subparser.add_argument("--config", help="a training config: its dataset_reader is used")
        subparser.add_argument(
            "-o",
            "--overrides",
            default="",
            help="a JSON(net) structure overriding --config's parameters",
        )
        subparser.add_argument("--indent", type=int, default=None, help="indent the JSON")
        subparser.set_defaults(func=_run)
        return subparser


def _run(args: argparse.Namespace) -> None:
    try:
        _print_statistics(args)
    except (ConfigurationError, DataFormatError) as error:
        # a wrong option or bad input: the message (naming file and line) without a traceback
        raise SystemExit(f"bioelmo-stats: {error}") from None


def _print_statistics(args: argparse.Namespace) -> None:
    params = reader_params(args.reader, args.config, args.overrides)
    file_path = args.file
    if args.config is not None:
        if file_path is None:
            file_path = params.get("train_data_path")
        params = params.pop("dataset_reader")
    if file_path is None:
        raise ConfigurationError("bioelmo-stats needs a FILE (or a --config with train_data_path)")
    statistics = reader_statistics(file_path, params)
    sys.stdout.write(json.dumps(statistics, indent=args.indent) + "\n")
    sys.stdout.flush()
