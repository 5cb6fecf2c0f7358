"""
The environment variables that `training_configs/` read with `std.extVar`, and their defaults.

AllenNLP hands every environment variable to Jsonnet, but `std.extVar` has no default, so importing
the plugin sets each variable that is not already set to its default (bundled fixtures). A user
points a config at real files by exporting the variable; nothing else changes.
"""
import os
from typing import Dict

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPOSITORY_ROOT, "fixtures")
BUNDLED_BILM = os.path.join(FIXTURES, "bilm")

# Variable -> default. The biLM files default to the bundled *random* biLM, which the embedder
# announces with a warning; the data paths default to the bundled fixture corpora.
CONFIG_VARIABLE_DEFAULTS: Dict[str, str] = {
    "BIOELMO_OPTIONS": os.path.join(BUNDLED_BILM, "options.json"),
    "BIOELMO_WEIGHTS": os.path.join(BUNDLED_BILM, "weights.hdf5"),
    "BIOELMO_VOCAB": os.path.join(BUNDLED_BILM, "vocab.txt"),
}


def is_bundled_fixture(path: str) -> bool:
    return os.path.abspath(path).startswith(BUNDLED_BILM + os.sep)


def set_config_variable_defaults() -> None:
    for name, default in CONFIG_VARIABLE_DEFAULTS.items():
        os.environ.setdefault(name, default)
