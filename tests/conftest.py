import os

import pytest

from tests import FIXTURES, REPOSITORY_ROOT

# The suite runs the configs and embedders on the tiny random test biLM (fast); the tests of
# BioELMo-small itself, the default, name its files explicitly. Set before the plugin is imported,
# which fills in every variable that is still unset.
TEST_BILM_OPTIONS = os.path.join(FIXTURES, "bilm", "options.json")
TEST_BILM_WEIGHTS = os.path.join(FIXTURES, "bilm", "weights.hdf5")
TEST_BILM_VOCAB = os.path.join(FIXTURES, "bilm", "vocab.txt")
os.environ["BIOELMO_OPTIONS"] = TEST_BILM_OPTIONS
os.environ["BIOELMO_WEIGHTS"] = TEST_BILM_WEIGHTS
os.environ["BIOELMO_VOCAB"] = TEST_BILM_VOCAB
os.environ.pop("BIOELMO_OUTPUT_DIM", None)

import allennlp_bioelmo  # noqa: F401,E402  (registers components, applies compat fixes)

SHARED_DATA = os.path.join(os.path.dirname(REPOSITORY_ROOT), "shared", "data")


def shared_data(*parts: str) -> str:
    """Path under ../shared/data; skips the test where the real corpora are absent."""
    path = os.path.join(SHARED_DATA, *parts)
    if not os.path.exists(path):
        pytest.skip(f"real corpus not available: {path} (../shared/data is only beside CI clones)")
    return path
