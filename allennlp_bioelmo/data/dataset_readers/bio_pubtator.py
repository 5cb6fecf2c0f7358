"""
The `bio_pubtator` reader: NER from PubTator documents (title, abstract, mention lines), read by
`allennlp_bioelmo.documents.pubtator`, e.g.

```
227508|t|Naloxone reverses the antihypertensive effect of clonidine.
227508<TAB>0<TAB>8<TAB>Naloxone<TAB>Chemical<TAB>D009270
```
"""

import re
from typing import Iterator, Optional

from allennlp.data.dataset_readers.dataset_reader import DatasetReader

from allennlp_bioelmo.data.dataset_readers.ner_document_reader import NerDocumentReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from allennlp_bioelmo.documents import Document, Mention, read_pubtator
from allennlp_bioelmo.documents.io_utils import iter_lines

_TEXT_LINE = re.compile(r"^([^\t|]+)\|([ta])\|")


@DatasetReader.register("bio_pubtator")
class BioPubtatorDatasetReader(NerDocumentReader):
    """
    NER from PubTator files (BioCreative V CDR, NCBI-disease's original release, ...):

    ```
    227508|t|Naloxone reverses the antihypertensive effect of clonidine.
    227508|a|In unanesthetized, spontaneously hypertensive rats ...
    227508<TAB>0<TAB>8<TAB>Naloxone<TAB>Chemical<TAB>D009270
    227508<TAB>CID<TAB>D008750<TAB>D007022
    ```

    The file is read by `allennlp_bioelmo.documents.read_pubtator` (its rules and errors, which
    name file and line): the document text is the title, a space, and the abstract (PubTator's
    offsets count that way), the title and the abstract are two passages, so no sentence runs
    from one into the other. Mention lines have at least `pmid start end text type`; more columns
    (ids, composite-mention parts) are ignored here, as are relation lines. Each mention's text
    must equal the document text at its offsets (an error naming file and line), and its type
    must not be empty. A UTF-8 byte-order mark and CRLF are accepted. Documents are split into
    sentences and tokenized by `bio_regex` with character offsets kept (see `NerDocumentReader`,
    which counts every mention in `statistics`); the reader logs how many mentions it read and
    placed, and warns (with counts) about mentions dropped and sentences merged.

    Registered as a `DatasetReader` with name "bio_pubtator". Parameters as `NerDocumentReader`
    (PubTator mentions have one span each, so `discontinuous` changes nothing here).
    """

    strict_mention_text = True

    def _documents(self, file_path: str) -> Iterator[Document]:
        return read_pubtator(
            self._local_path(file_path), discontinuous="pieces", stats=self.document_statistics
        )

    def _mention_text_error(
        self, file_path: str, document: Document, mention: Mention
    ) -> DataFormatError:
        start, end = mention.spans[0]
        return DataFormatError(
            file_path,
            _mention_line(self._local_path(file_path), document.id, int(mention.id)) or 0,
            f"mention text {mention.text!r} differs from the document text at {start}-{end}: "
            f"{document.text[start:end]!r} (document {document.id})",
        )


def _mention_line(path: str, pmid: str, index: int) -> Optional[int]:
    """The line of the `index`-th mention line (0-based) of document `pmid`, for error messages:
    `read_pubtator` numbers a document's mentions "0", "1", ... in file order."""
    inside, seen = False, 0
    for line_number, line in iter_lines(path):
        match = _TEXT_LINE.match(line)
        if match:
            if match.group(2) == "t":
                inside, seen = match.group(1) == pmid, 0
            continue
        columns = line.split("\t")
        if not inside or len(columns) < 5 or not columns[1].strip().lstrip("-").isdigit():
            continue
        if seen == index:
            return line_number
        seen += 1
    return None
