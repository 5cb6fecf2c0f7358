"""
The `bio_brat` reader: NER from BRAT standoff directories (`name.txt` + `name.ann`), read by
`allennlp_bioelmo.documents.brat`; `.ann` lines such as

```
T1<TAB>Disease 16 29<TAB>breast cancer
```
"""

import glob
import os
from typing import Iterator

from allennlp.data.dataset_readers.dataset_reader import DatasetReader

from allennlp_bioelmo.data.dataset_readers.ner_document_reader import NerDocumentReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from allennlp_bioelmo.documents import Document, Mention, read_brat
from allennlp_bioelmo.documents.io_utils import iter_lines


@DatasetReader.register("bio_brat")
class BioBratDatasetReader(NerDocumentReader):
    """
    NER from BRAT standoff: the data path is a directory of `name.txt` + `name.ann` pairs
    (documents in sorted name order), read by `allennlp_bioelmo.documents.read_brat` (its rules
    and errors, which name the `.ann` file and line). Only text-bound annotations become tags:

    ```
    T1<TAB>Disease 16 29<TAB>breast cancer
    T2<TAB>Gene 40 44;50 55<TAB>BRCA ovary
    ```

    Discontinuous spans (`start end;start end`) follow the `discontinuous` policy (default
    "covering": the mention is tagged over its covering span, from its first start to its last
    end; see `NerDocumentReader`). Other annotation lines (relations `R`, events `E`, attributes
    `A`/`M`, normalizations `N`, notes `#`, equivalences `*`) are not tagged; any other non-blank
    line is an error. A continuous mention's text must equal the document text at its offsets
    (an error naming the `.ann` file and line); its type must not be empty. A UTF-8 byte-order
    mark (not counted in the offsets) and CRLF are accepted. `.ann` files without a `.txt` and
    documents without text are counted in a warning.

    Registered as a `DatasetReader` with name "bio_brat". Parameters as `NerDocumentReader`.
    """

    strict_mention_text = True

    def _documents(self, file_path: str) -> Iterator[Document]:
        if not os.path.isdir(file_path):
            raise DataFormatError(
                file_path, 0, "bio_brat expects a directory of .txt and .ann files"
            )
        self._local_path(file_path)
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
        return read_brat(file_path, discontinuous="pieces", stats=self.document_statistics)

    def _mention_text_error(
        self, file_path: str, document: Document, mention: Mention
    ) -> DataFormatError:
        annotation_file = os.path.join(file_path, document.id + ".ann")
        start, end = mention.spans[0]
        line = next(
            (n for n, text in iter_lines(annotation_file) if text.startswith(mention.id + "\t")),
            0,
        )
        return DataFormatError(
            annotation_file,
            line,
            f"mention text {mention.text!r} differs from the text at {start}-{end}: "
            f"{document.text[start:end]!r}",
        )
