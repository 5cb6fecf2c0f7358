"""
The environment variables that `training_configs/` read with `std.extVar`, and their defaults.

AllenNLP hands every environment variable to Jsonnet, but `std.extVar` has no default, so importing
the plugin sets each variable that is not already set to its default (bundled fixtures). A user
points a config at real files by exporting the variable; nothing else changes.
"""
import json
import os
from typing import Dict, Optional

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPOSITORY_ROOT, "fixtures")
BUNDLED_BILM = os.path.join(FIXTURES, "bilm")

# Variable -> default. The biLM files default to the bundled *random* biLM, which the embedder
# announces with a warning; the data paths default to the bundled fixture corpora.
CONFIG_VARIABLE_DEFAULTS: Dict[str, str] = {
    "BIOELMO_OPTIONS": os.path.join(BUNDLED_BILM, "options.json"),
    "BIOELMO_WEIGHTS": os.path.join(BUNDLED_BILM, "weights.hdf5"),
    "BIOELMO_VOCAB": os.path.join(BUNDLED_BILM, "vocab.txt"),
    "NCBI_DISEASE_TRAIN": os.path.join(FIXTURES, "data", "ncbi_disease", "train.txt"),
    "NCBI_DISEASE_DEV": os.path.join(FIXTURES, "data", "ncbi_disease", "dev.txt"),
    "NCBI_DISEASE_TEST": os.path.join(FIXTURES, "data", "ncbi_disease", "test.txt"),
    "NER_EPOCHS": "30",
}


def is_bundled_fixture(path: str) -> bool:
    return os.path.abspath(path).startswith(BUNDLED_BILM + os.sep)


def bilm_output_dim(options_file: str) -> Optional[int]:
    """2 x `lstm.projection_dim` of an options file, or None if it cannot be read."""
    try:
        with open(options_file, encoding="utf-8") as handle:
            return 2 * int(json.load(handle)["lstm"]["projection_dim"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def set_config_variable_defaults() -> None:
    for name, default in CONFIG_VARIABLE_DEFAULTS.items():
        os.environ.setdefault(name, default)
    # Configs size the layers after the embedder with BIOELMO_OUTPUT_DIM (1024 for BioELMo), so
    # the same config fits the real biLM and the small bundled one.
    if "BIOELMO_OUTPUT_DIM" not in os.environ:
        dim = bilm_output_dim(os.environ["BIOELMO_OPTIONS"])
        if dim is not None:
            os.environ["BIOELMO_OUTPUT_DIM"] = str(dim)
