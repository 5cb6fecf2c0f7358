"""
One document model (`Document`: text, passages, mentions, relations; document-level offsets) and
one module per corpus format beside it, each reading into and (but DDI) writing from the model:
BioC XML, BioC JSON, PubTator, BRAT standoff, DDI-2013 XML. `read_documents` / `write_documents`
pick the module; `DocumentStatistics` counts what was read and what was left out.
"""

from allennlp_bioelmo.documents.bioc_json import read_bioc_json, write_bioc_json
from allennlp_bioelmo.documents.bioc_xml import read_bioc_xml, write_bioc_xml
from allennlp_bioelmo.documents.brat import read_brat, write_brat
from allennlp_bioelmo.documents.ddi_xml import DDI_NEGATIVE, DDI_UNTYPED, read_ddi_xml
from allennlp_bioelmo.documents.document import (
    CONCEPT,
    DISCONTINUOUS_POLICIES,
    MENTION,
    RELATION,
    Argument,
    Document,
    DocumentStatistics,
    Mention,
    Passage,
    Relation,
    apply_discontinuous_policy,
)
from allennlp_bioelmo.documents.formats import (
    FORMATS,
    detect_format,
    read_documents,
    write_documents,
)
from allennlp_bioelmo.documents.io_utils import DocumentFormatError
from allennlp_bioelmo.documents.pubtator import read_pubtator, write_pubtator
