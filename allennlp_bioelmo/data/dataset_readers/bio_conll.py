"""
The `bio_conll` reader: NER corpora in column format (IOB tsv / CoNLL), one token per line:

```
Germline<TAB>O
BRCA1<TAB>B-Gene

-DOCSTART- -X- O O
```
"""

import logging
from typing import Iterable, List, Optional

from allennlp.common.checks import ConfigurationError
from allennlp.data.dataset_readers.dataset_reader import DatasetReader
from allennlp.data.instance import Instance

from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    DataFormatError,
    is_first_reader,
    read_lines,
)
from allennlp_bioelmo.data.dataset_readers.tagging_reader import TaggingDatasetReader
from allennlp_bioelmo.data.dataset_readers.tagging_schemes import (
    INPUT_SCHEMES,
    TagSchemeError,
    to_bio,
)

logger = logging.getLogger(__name__)


@DatasetReader.register("bio_conll")
class BioConllDatasetReader(TaggingDatasetReader):
    """
    Reads biomedical NER corpora in column (IOB tsv / CoNLL) format: one token per line, token
    and tag columns separated by tabs (or, in files without tabs, spaces), extra columns allowed,
    a blank line between sentences, `-DOCSTART-` lines skipped, CRLF and a UTF-8 byte-order mark
    accepted. Tags are `O` or PREFIX-TYPE with the prefixes of `input_scheme`; anything else
    (`O-Gene`, `B-`, `Gene`) is an error naming the file and the line. A file without any
    sentence is read as no instances, with a warning. This is how
    BioBERT, SciBERT and MTL-Bioinformatics-2016 redistribute NCBI-disease, BC5CDR, BC2GM,
    JNLPBA, BC4CHEMD, LINNAEUS and Species-800.

    Registered as a `DatasetReader` with name "bio_conll".

    # Parameters

    token_column : `int`, optional (default = `0`)
    tag_column : `int`, optional (default = `-1`)
        Which column holds the tag (negative counts from the end).
    input_scheme : `str`, optional (default = `"auto"`)
        `"IOB1"`, `"BIO"`, `"IOBES"` or `"BIOUL"` to validate strictly; `"auto"` accepts any of
        them (per sentence) and normalises.
    **kwargs
        `token_indexers`, `output_scheme`, `entity_types`, `rename_types`, `label_namespace`: see
        `TaggingDatasetReader`.
    """

    def __init__(
        self,
        token_column: int = 0,
        tag_column: int = -1,
        input_scheme: str = "auto",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if input_scheme not in INPUT_SCHEMES:
            raise ConfigurationError(
                f"input_scheme must be one of {INPUT_SCHEMES}, got {input_scheme!r}"
            )
        self._token_column = token_column
        self._tag_column = tag_column
        self._input_scheme = input_scheme

    def _read(self, file_path: str) -> Iterable[Instance]:
        yield from self.shard_iterable(self._sentences(file_path))

    def _sentences(self, file_path: str):
        """Yields instances; sentence parsing happens here so errors carry line numbers."""
        tokens: List[str] = []
        tags: List[str] = []
        line_numbers: List[int] = []
        any_line = False
        sentences = 0
        expected_columns: Optional[int] = None
        for line_number, line in read_lines(file_path):
            any_line = True
            stripped = line.strip()
            if stripped.startswith("-DOCSTART-") or not stripped:
                if tokens:
                    sentences += 1
                    yield self._make_instance(file_path, line_numbers, tokens, tags)
                tokens, tags, line_numbers = [], [], []
                continue
            columns = stripped.split("\t") if "\t" in stripped else stripped.split()
            try:
                token, tag = columns[self._token_column], columns[self._tag_column]
            except IndexError:
                raise DataFormatError(
                    file_path,
                    line_number,
                    f"expected a token column {self._token_column} and a tag column "
                    f"{self._tag_column}, found {len(columns)} column(s): {stripped!r}",
                )
            if len(columns) < 2:
                raise DataFormatError(
                    file_path,
                    line_number,
                    f"expected at least 2 columns (token, tag), found 1: {stripped!r}",
                )
            if expected_columns is None:
                expected_columns = len(columns)
            elif len(columns) != expected_columns:
                raise DataFormatError(
                    file_path,
                    line_number,
                    f"expected {expected_columns} columns like the first token line, found "
                    f"{len(columns)}: {stripped!r}",
                )
            line_numbers.append(line_number)
            tokens.append(token.strip())
            tags.append(tag.strip())
        if tokens:
            sentences += 1
            yield self._make_instance(file_path, line_numbers, tokens, tags)
        if not any_line:
            raise DataFormatError(file_path, 0, "the file is empty")
        if not sentences and is_first_reader(self):
            logger.warning(
                "%s: no sentences (only blank or -DOCSTART- lines): read as no instances",
                file_path,
            )

    def _make_instance(
        self, file_path: str, line_numbers: List[int], tokens: List[str], tags: List[str]
    ):
        try:
            bio = to_bio(tags, self._input_scheme)
        except TagSchemeError as error:
            where = ""
            if error.position is not None and line_numbers[error.position] != line_numbers[0]:
                where = f"; the tag is on line {line_numbers[error.position]}"
            raise DataFormatError(
                file_path, line_numbers[0], f"sentence starting here: {error}{where}"
            )
        return self.text_to_instance(tokens, self.output_tags(bio))
