"""
What every reader shares: text files read as UTF-8 (a leading byte-order mark dropped, CRLF
accepted), errors that name the file and the line, checks of JSON values with messages that say
what was expected, and counted warnings for whatever a reader drops or changes.

The rule of the readers: bad input is a `DataFormatError` naming the file and the line (or the
document), or a `ReadReport` warning, logged once per file, that says how many items were dropped
or changed and why. Nothing is dropped or changed silently.
"""

import json
import logging
import os
from collections import Counter
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from allennlp.common.file_utils import cached_path
from allennlp.data.dataset_readers.dataset_reader import DatasetReader
from allennlp.data.token_indexers import TokenIndexer

from allennlp_bioelmo.common.errors import DataFormatError
from allennlp_bioelmo.common.config_variables import warn_if_fixture_corpus
from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoTokenCharactersIndexer

BOM = "\ufeff"


def default_token_indexers() -> Dict[str, TokenIndexer]:
    """
    `{"elmo": bioelmo_characters}`, what every reader indexes tokens with unless told otherwise.
    """
    return {"elmo": BioElmoTokenCharactersIndexer()}


def _local_file(file_path: str) -> str:
    warn_if_fixture_corpus(file_path)
    path = cached_path(file_path)
    if not os.path.isfile(path):
        raise DataFormatError(file_path, 0, "not a file")
    return path


def _decode(file_path: str, line_number: int, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFormatError(
            file_path, line_number, f"not valid UTF-8 (byte offset {error.start} in the line)"
        )


def read_lines(file_path: str) -> Iterator[Tuple[int, str]]:
    """
    (line number, line without its newline) for every line; CRLF is accepted and a UTF-8
    byte-order mark at the start of the file is dropped (as `utf-8-sig` does).
    """
    with open(_local_file(file_path), "rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            line = _decode(file_path, line_number, raw)
            if line_number == 1 and line.startswith(BOM):
                line = line[len(BOM) :]
            yield line_number, line.rstrip("\n").rstrip("\r")


def read_text(file_path: str) -> str:
    """
    The whole text of a file, newlines kept as they are (offsets into it stay exact), a UTF-8
    byte-order mark at its start dropped; invalid UTF-8 is reported with its line.
    """
    with open(_local_file(file_path), "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line_number = data.count(b"\n", 0, error.start) + 1
        raise DataFormatError(
            file_path,
            line_number,
            f"not valid UTF-8 (byte offset {error.start - line_start} in the line)",
        )
    return text[len(BOM) :] if text.startswith(BOM) else text


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


# ---- JSON values: checks that raise ValueError saying which key and what was expected ----------


def describe(value: Any) -> str:
    """`int 12`, `str 'abc'`, `null`: a found value, for error messages."""
    if value is None:
        return "null"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def require_key(record: dict, key: str) -> Any:
    """`record[key]`; a missing key is a ValueError naming it and the keys found."""
    if key not in record:
        raise ValueError(f"missing key '{key}' (found {sorted(record)})")
    return record[key]


def require_string(record: dict, key: str, what: str = "a string", allow_empty: bool = False):
    """`record[key]`, which must be a string (non-blank unless `allow_empty`)."""
    value = require_key(record, key)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be {what}, found {describe(value)}")
    if not allow_empty and not value.strip():
        raise ValueError(f"'{key}' is empty: expected {what} with some text")
    return value


def require_integer(value: Any, what: str) -> int:
    """`value`, which must be a JSON integer (not a string, float or boolean)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer, found {describe(value)}")
    return value


def require_tokens(value: Any, key: str = "tokens") -> List[str]:
    """A list of non-empty strings (the tokens of a sentence)."""
    if not isinstance(value, list):
        raise ValueError(f"'{key}' must be a list of strings (tokens), found {describe(value)}")
    for position, token in enumerate(value):
        if not isinstance(token, str) or not token:
            raise ValueError(
                f"'{key}' must be a list of non-empty strings (tokens), found {describe(token)} "
                f"at position {position}"
            )
    return value


def optional_label(record: dict, key: str = "label") -> Optional[str]:
    """
    `record[key]` as a label: a non-empty string (an integer is read as its string, e.g. GAD's
    0/1); `None` if the key is absent (an unlabelled record). An explicit `null` or an empty
    label is an error, not an unlabelled record.
    """
    if key not in record:
        return None
    value = record[key]
    if value is None:
        raise ValueError(
            f"'{key}' is null: give a label, or leave the key out for unlabelled input"
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string, found {describe(value)}")
    if not value.strip():
        raise ValueError(f"'{key}' is empty: expected a label")
    return value


class LabelPresence:
    """
    Checks that the records of one file are all labelled or all unlabelled: a file that mixes
    them would give instances with and without a label field, which cannot be batched together.
    """

    def __init__(self, file_path: str, key: str = "label") -> None:
        self._file_path = file_path
        self._key = key
        self._first: Optional[Tuple[int, bool]] = None

    def check(self, line_number: int, label: Optional[str]) -> None:
        """Raise a `DataFormatError` if this record's labelling differs from the first one's."""
        labelled = label is not None
        if self._first is None:
            self._first = (line_number, labelled)
        elif self._first[1] != labelled:
            first_line, first_labelled = self._first
            raise DataFormatError(
                self._file_path,
                line_number,
                f"{'a' if labelled else 'no'} '{self._key}' here, but line {first_line} "
                f"{'has one' if first_labelled else 'has none'}: a file must be all labelled "
                "(training, evaluation) or all unlabelled",
            )


# ---- counted warnings ----------------------------------------------------------------------


def is_first_reader(reader: DatasetReader) -> bool:
    """
    True in the one process that should report on a whole file: not sharded, or the first
    data-loader worker of the first distributed worker.
    """
    worker, distributed = reader.get_worker_info(), reader.get_distributed_info()
    return (worker is None or worker.id == 0) and (
        distributed is None or distributed.global_rank == 0
    )


def shard_description(reader: DatasetReader) -> str:
    """`""`, or which share of the file this process reads (for per-shard counts)."""
    parts = []
    distributed = reader.get_distributed_info()
    if distributed is not None and distributed.world_size > 1:
        parts.append(
            f"distributed worker {distributed.global_rank + 1} of {distributed.world_size}"
        )
    worker = reader.get_worker_info()
    if worker is not None and worker.num_workers > 1:
        parts.append(f"data-loader worker {worker.id + 1} of {worker.num_workers}")
    return f" (the share of {', '.join(parts)})" if parts else ""


class ReadReport:
    """
    What a reader dropped or changed while reading one file, counted by reason (and, optionally,
    by kind, e.g. entity type); `log` writes it as one WARNING for the file, nothing if nothing
    was dropped or changed.

    ```
    report = ReadReport(file_path)
    report.count("relations dropped", "their head or tail span is not an entity", kind="CPR:3")
    report.log(logger)
    # WARNING - data.jsonl: 1 relations dropped (CPR:3 1): their head or tail span is not ...
    ```
    """

    def __init__(self, file_path: str) -> None:
        self.file_path = file_path
        self.counts: Dict[Tuple[str, str], Counter] = {}
        self.examples: Dict[Tuple[str, str], List[str]] = {}

    def count(
        self,
        what: str,
        why: str,
        kind: Optional[str] = None,
        number: int = 1,
        example: Optional[str] = None,
    ) -> None:
        """Count `number` items of `what` (e.g. "mentions dropped") for the reason `why`."""
        counter = self.counts.setdefault((what, why), Counter())
        counter[kind] += number
        if example is not None:
            examples = self.examples.setdefault((what, why), [])
            if len(examples) < 5:
                examples.append(example)

    def total(self, what: str) -> int:
        """How many items of `what` were counted, for every reason."""
        return sum(sum(c.values()) for (w, _), c in self.counts.items() if w == what)

    def __bool__(self) -> bool:
        return bool(self.counts)

    def lines(self) -> List[str]:
        """One description per (what, why)."""
        result = []
        for (what, why), counter in self.counts.items():
            kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counter.items()) if kind)
            line = f"{sum(counter.values())} {what}{f' ({kinds})' if kinds else ''}: {why}"
            examples = self.examples.get((what, why))
            if examples:
                line += f" (e.g. {', '.join(examples)})"
            result.append(line)
        return result

    def log(self, logger: logging.Logger, scope: str = "") -> None:
        """One WARNING naming the file (and `scope`, e.g. a shard) with every count."""
        if self.counts:
            logger.warning("%s%s: %s", self.file_path, scope, "; ".join(self.lines()))
