import os

import pytest

import allennlp_bioelmo  # noqa: F401  (registers components, applies compat fixes)
from allennlp_bioelmo.common.config_variables import FIXTURES, REPOSITORY_ROOT

SHARED_DATA = os.path.join(os.path.dirname(REPOSITORY_ROOT), "shared", "data")
BUNDLED_OPTIONS = os.path.join(FIXTURES, "bilm", "options.json")
BUNDLED_WEIGHTS = os.path.join(FIXTURES, "bilm", "weights.hdf5")
BUNDLED_VOCAB = os.path.join(FIXTURES, "bilm", "vocab.txt")


def shared_data(*parts: str) -> str:
    """Path under ../shared/data; skips the test where the real corpora are absent."""
    path = os.path.join(SHARED_DATA, *parts)
    if not os.path.exists(path):
        pytest.skip(f"real corpus not available: {path} (../shared/data is only beside CI clones)")
    return path
