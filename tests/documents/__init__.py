"""Tests of allennlp_bioelmo.documents: the document model and one module per format."""

import os

from tests import FIXTURES

DOCUMENT_FIXTURES = os.path.join(FIXTURES, "documents")


def fixture(*parts: str) -> str:
    """Path of a file under fixtures/documents/."""
    return os.path.join(DOCUMENT_FIXTURES, *parts)


def without_ids(document):
    """What a format that renumbers ids keeps: text, mentions and relations, ids replaced by the
    mentions' positions."""
    position = {mention.id: index for index, mention in enumerate(document.mentions)}
    mentions = [(m.spans, m.type, m.identifiers, m.text) for m in document.mentions]
    relations = [
        (
            r.type,
            {
                role: (a.kind, position[a.value] if a.kind == "mention" else a.value)
                for role, a in r.arguments.items()
            },
        )
        for r in document.relations
    ]
    return document.text, mentions, relations
