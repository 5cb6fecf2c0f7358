"""
The `bio_pubtator` reader: NER from PubTator documents (title, abstract, mention lines), e.g.

```
227508|t|Naloxone reverses the antihypertensive effect of clonidine.
227508<TAB>0<TAB>8<TAB>Naloxone<TAB>Chemical<TAB>D009270
```
"""

from typing import Iterator, List, Optional

from allennlp.data.dataset_readers.dataset_reader import DatasetReader

from allennlp_bioelmo.data.dataset_readers.document_tagging import Mention
from allennlp_bioelmo.data.dataset_readers.ner_document_reader import Document, NerDocumentReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError, read_lines


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

    The document text is the title, a space, and the abstract (PubTator's offsets count that way).
    Mention lines have at least `pmid start end text type`; more columns (ids, composite-mention
    parts) are ignored, as are relation lines. Each mention's text must equal the document text at
    its offsets, and its type must not be empty. A UTF-8 byte-order mark and CRLF are accepted.
    Documents are split into sentences and tokenized by `bio_regex` with character offsets kept
    (see `NerDocumentReader`); the reader logs how many mentions it read and placed, and warns
    (with counts) about mentions dropped and sentences merged.

    Registered as a `DatasetReader` with name "bio_pubtator". Parameters as `NerDocumentReader`.
    """

    def _documents(self, file_path: str) -> Iterator[Document]:
        pmid: Optional[str] = None
        title = abstract = None
        mentions: List[Mention] = []
        any_line = False

        def finish():
            text = f"{title} {abstract}" if abstract is not None else title
            for mention in mentions:
                if mention.end > len(text):
                    raise DataFormatError(
                        file_path,
                        mention.line_number,
                        f"mention offsets {mention.start}-{mention.end} lie beyond document "
                        f"{pmid}'s text "
                        f"({len(text)} characters)",
                    )
            return pmid, text, list(mentions)

        for line_number, line in read_lines(file_path):
            any_line = True
            if not line.strip():
                if pmid is not None:
                    yield finish()
                pmid, title, abstract, mentions = None, None, None, []
                continue
            if "|t|" in line[:30] or "|a|" in line[:30]:
                doc_id, kind, body = line.split("|", 2)
                if pmid is not None and doc_id != pmid:
                    yield finish()
                    title, abstract, mentions = None, None, []
                pmid = doc_id
                if kind == "t":
                    if title is not None:
                        raise DataFormatError(
                            file_path, line_number, f"a second title line for document {doc_id}"
                        )
                    title = body
                elif kind == "a":
                    if title is None:
                        raise DataFormatError(
                            file_path, line_number, f"abstract of {doc_id} before its title"
                        )
                    if abstract is not None:
                        raise DataFormatError(
                            file_path,
                            line_number,
                            f"a second abstract line for document {doc_id}",
                        )
                    abstract = body
                else:
                    raise DataFormatError(
                        file_path,
                        line_number,
                        f"expected 'pmid|t|title' or 'pmid|a|abstract', found kind {kind!r}",
                    )
                continue
            columns = line.split("\t")
            if pmid is None or title is None:
                raise DataFormatError(
                    file_path, line_number, "annotation line before any 'pmid|t|title' line"
                )
            if columns[0] != pmid:
                raise DataFormatError(
                    file_path, line_number, f"annotation for {columns[0]} inside document {pmid}"
                )
            if len(columns) == 4 and not columns[1].isdigit():
                continue  # relation line: pmid, relation type (e.g. CID), two ids
            if len(columns) < 5:
                raise DataFormatError(
                    file_path,
                    line_number,
                    "expected a mention line 'pmid<TAB>start<TAB>end<TAB>text<TAB>type[...]' or "
                    "a relation "
                    f"line, found {len(columns)} columns",
                )
            try:
                start, end = int(columns[1]), int(columns[2])
            except ValueError:
                raise DataFormatError(
                    file_path, line_number, f"unparseable offsets {columns[1]!r}, {columns[2]!r}"
                )
            if not 0 <= start < end:
                raise DataFormatError(file_path, line_number, f"invalid offsets {start}-{end}")
            text = f"{title} {abstract}" if abstract is not None else title
            if end <= len(text) and text[start:end] != columns[3]:
                raise DataFormatError(
                    file_path,
                    line_number,
                    f"mention text {columns[3]!r} differs from the document text at {start}-{end}: "
                    f"{text[start:end]!r}",
                )
            if not columns[4].strip():
                raise DataFormatError(
                    file_path,
                    line_number,
                    f"the entity type (column 5) of mention {columns[3]!r} of document {pmid} is "
                    "empty: expected a type such as Chemical or Disease",
                )
            mentions.append(Mention(start, end, columns[4], line_number))
        if pmid is not None:
            yield finish()
        if not any_line:
            raise DataFormatError(file_path, 0, "the file is empty")
