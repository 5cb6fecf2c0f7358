"""
What every reader shares: line reading with UTF-8 checks, and errors that name file and line.
"""

import json
import os
from typing import Dict, Iterable, Iterator, Optional, Tuple

from allennlp.common.file_utils import cached_path
from allennlp.data.token_indexers import TokenIndexer

from allennlp_bioelmo.common.config_variables import warn_if_fixture_corpus
from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoTokenCharactersIndexer


class DataFormatError(ValueError):
    """
    Malformed input: the message names the file, the line (1-based; 0 = whole file), the problem.
    """

    def __init__(self, file_path: str, line_number: int, message: str) -> None:
        where = f"{file_path}, line {line_number}" if line_number else file_path
        super().__init__(f"{where}: {message}")
        self.file_path = file_path
        self.line_number = line_number


def default_token_indexers() -> Dict[str, TokenIndexer]:
    """
    `{"elmo": bioelmo_characters}`, what every reader indexes tokens with unless told otherwise.
    """
    return {"elmo": BioElmoTokenCharactersIndexer()}


def read_lines(file_path: str) -> Iterator[Tuple[int, str]]:
    """(line number, line without its newline) for every line; CRLF is accepted."""
    warn_if_fixture_corpus(file_path)
    path = cached_path(file_path)
    if not os.path.isfile(path):
        raise DataFormatError(file_path, 0, "not a file")
    with open(path, "rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise DataFormatError(
                    file_path,
                    line_number,
                    f"not valid UTF-8 (byte offset {error.start} in the line)",
                )
            yield line_number, line.rstrip("\n").rstrip("\r")


def read_json_lines(
    file_path: str, lines: Optional[Iterable[Tuple[int, str]]] = None
) -> Iterator[Tuple[int, dict]]:
    """(line number, JSON object) for every non-blank line (of `lines`, default the file's)."""
    for line_number, line in read_lines(file_path) if lines is None else lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataFormatError(file_path, line_number, f"not valid JSON: {error.msg}")
        if not isinstance(record, dict):
            raise DataFormatError(file_path, line_number, "expected a JSON object")
        yield line_number, record
