"""
The `bio_brat` reader: NER from BRAT standoff directories (`name.txt` + `name.ann`), `.ann`
lines such as

```
T1<TAB>Disease 16 29<TAB>breast cancer
```
"""

import glob
import os
from typing import Iterator, List

from allennlp.data.dataset_readers.dataset_reader import DatasetReader

from allennlp_bioelmo.data.dataset_readers.document_tagging import Mention
from allennlp_bioelmo.data.dataset_readers.ner_document_reader import Document, NerDocumentReader
from allennlp_bioelmo.common.config_variables import warn_if_fixture_corpus
from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    DataFormatError,
    read_lines,
    read_text,
)

# Annotation kinds other than text-bound ones (T): relations, events, attributes (A, or M in old
# files), normalizations, notes, equivalences.
IGNORED_ANNOTATIONS = ("R", "E", "A", "M", "N", "#", "*")


@DatasetReader.register("bio_brat")
class BioBratDatasetReader(NerDocumentReader):
    """
    NER from BRAT standoff: the data path is a directory of `name.txt` + `name.ann` pairs
    (documents in sorted name order). Only text-bound annotations are read:

    ```
    T1<TAB>Disease 16 29<TAB>breast cancer
    T2<TAB>Gene 40 44;50 55<TAB>BRCA ovary
    ```

    Discontinuous spans (`start end;start end`): the mention is tagged over its covering span,
    from its first start to its last end (BIO tags cannot leave gaps). Other annotation lines
    (relations `R`, events `E`, attributes `A`/`M`, normalizations `N`, notes `#`, equivalences
    `*`) are ignored; any other non-blank line is an error. A continuous mention's text must equal
    the document text at its offsets; its type must not be empty. A UTF-8 byte-order mark (not
    counted in the offsets) and CRLF are accepted. `.ann` files without a `.txt` and documents
    without text are counted in a warning.

    Registered as a `DatasetReader` with name "bio_brat". Parameters as `NerDocumentReader`.
    """

    def _documents(self, file_path: str) -> Iterator[Document]:
        if not os.path.isdir(file_path):
            raise DataFormatError(
                file_path, 0, "bio_brat expects a directory of .txt and .ann files"
            )
        warn_if_fixture_corpus(file_path)
        text_files = sorted(glob.glob(os.path.join(file_path, "*.txt")))
        if not text_files:
            raise DataFormatError(file_path, 0, "no .txt files in the directory")
        for annotation_file in sorted(glob.glob(os.path.join(file_path, "*.ann"))):
            if not os.path.exists(annotation_file[: -len(".ann")] + ".txt"):
                self._report.count(
                    ".ann files skipped",
                    "no .txt file beside them",
                    example=os.path.basename(annotation_file),
                )
        for text_file in text_files:
            annotation_file = text_file[: -len(".txt")] + ".ann"
            if not os.path.exists(annotation_file):
                raise DataFormatError(
                    text_file,
                    0,
                    f"no annotation file {os.path.basename(annotation_file)} beside it",
                )
            text = read_text(text_file)
            yield os.path.basename(text_file)[:-4], text, self._mentions(annotation_file, text)

    @staticmethod
    def _mentions(annotation_file: str, text: str) -> List[Mention]:
        mentions = []
        for line_number, line in read_lines(annotation_file):
            if not line.strip() or line.startswith(IGNORED_ANNOTATIONS):
                continue
            columns = line.split("\t")
            if not line.startswith("T") or len(columns) < 3 or " " not in columns[1]:
                raise DataFormatError(
                    annotation_file,
                    line_number,
                    "expected 'T<id><TAB><type> <start> <end>[;<start> <end>]<TAB><text>' (or an "
                    f"ignored {'/'.join(IGNORED_ANNOTATIONS)} line), found {line[:60]!r}",
                )
            entity_type, offsets = columns[1].split(" ", 1)
            if not entity_type:
                raise DataFormatError(
                    annotation_file,
                    line_number,
                    f"the entity type of {columns[0]} is empty: expected '<type> <start> <end>', "
                    f"found {columns[1]!r}",
                )
            try:
                fragments = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
                if any(len(f) != 2 or not 0 <= f[0] < f[1] for f in fragments):
                    raise ValueError
            except ValueError:
                raise DataFormatError(
                    annotation_file, line_number, f"unparseable offsets {offsets!r}"
                )
            start, end = fragments[0][0], fragments[-1][1]
            if end > len(text):
                raise DataFormatError(
                    annotation_file,
                    line_number,
                    f"offsets {start}-{end} lie beyond the text ({len(text)} characters)",
                )
            if len(fragments) == 1 and text[start:end] != columns[2]:
                raise DataFormatError(
                    annotation_file,
                    line_number,
                    f"mention text {columns[2]!r} differs from the text at {start}-{end}: "
                    f"{text[start:end]!r}",
                )
            mentions.append(Mention(start, end, entity_type, line_number))
        return mentions
