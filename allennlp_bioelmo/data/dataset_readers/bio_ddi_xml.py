"""
The `bio_ddi_xml` reader: drug NER (DrugNER: drug, brand, group, drug_n) from the DDI-2013 corpus's
original XML, read by `allennlp_bioelmo.documents.ddi_xml`.
"""

from typing import Iterator

from allennlp.data.dataset_readers.dataset_reader import DatasetReader

from allennlp_bioelmo.data.dataset_readers.ner_document_reader import NerDocumentReader
from allennlp_bioelmo.documents import Document, read_ddi_xml

DDI_ENTITY_TYPES = ("drug", "brand", "group", "drug_n")


@DatasetReader.register("bio_ddi_xml")
class BioDdiXmlDatasetReader(NerDocumentReader):
    """
    Drug NER from DDI-2013 XML (SemEval-2013 Task 9.1, DrugNER): the data path is one document's
    `.xml` file or a directory, read recursively (`Train/DrugBank/*.xml` and `Train/MedLine/*.xml`
    under `Train/`; files in sorted path order):

    ```
    <document id="DDI-MedLine.d115">
      <sentence id="DDI-MedLine.d115.s0" text="Concomitant cyclophosphamide, doxorubicin, ...">
        <entity id="DDI-MedLine.d115.s0.e0" charOffset="12-27" type="drug" text="..."/>
    ```

    Each corpus sentence is one instance, as the corpus split it (no sentence splitter); entity
    types are the corpus's: drug, brand, group, drug_n (select some with `entity_types`, rename
    with `rename_types`). An entity with several `charOffset` pieces (`"10-16;29-36"`, 38 in the
    training part) follows `discontinuous` (default "covering": "loop ... diuretics" in "loop and
    thiazide diuretics" is tagged over the whole coordination, the nested "thiazide diuretics"
    then dropped as overlapping; see `NerDocumentReader`). Pairs (interactions) are not used.
    Offsets in the instances' metadata are into the document text: the sentences joined by a
    space. Every entity is counted in `statistics`. The split into training and development
    documents is yours: point the reader at a directory (or file) per split.

    Registered as a `DatasetReader` with name "bio_ddi_xml". Parameters as `NerDocumentReader`.
    """

    def _documents(self, file_path: str) -> Iterator[Document]:
        return read_ddi_xml(
            self._local_path(file_path), discontinuous="pieces", stats=self.document_statistics
        )
