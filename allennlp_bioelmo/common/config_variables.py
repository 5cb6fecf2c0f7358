"""
The environment variables that `training_configs/` read with `std.extVar`, and their defaults.

AllenNLP hands every environment variable to Jsonnet, but `std.extVar` has no default, so importing
the plugin sets each variable that is not already set to its default (bundled fixtures). A user
points a config at real files by exporting the variable; nothing else changes.
"""
import json
import os
from typing import Dict, Optional, Tuple

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPOSITORY_ROOT, "fixtures")
BUNDLED_BILM = os.path.join(FIXTURES, "bilm")

# Data sets the configs read: variable prefix -> (fixture folder, train, dev, test file). Each gives
# three variables, e.g. NCBI_DISEASE_TRAIN, NCBI_DISEASE_DEV, NCBI_DISEASE_TEST.
DATASETS: Dict[str, Tuple[str, str, str, str]] = {
    "NCBI_DISEASE": ("ncbi_disease", "train.txt", "dev.txt", "test.txt"),
    "BC5CDR": ("bc5cdr", "train.tsv", "dev.tsv", "test.tsv"),
    "JNLPBA": ("jnlpba", "train.tsv", "dev.tsv", "test.tsv"),
    "BC2GM": ("bc2gm", "train.tsv", "devel.tsv", "test.tsv"),
    "IOB": ("ncbi_disease", "train.txt", "dev.txt", "test.txt"),
    "CDR_PUBTATOR": ("pubtator", "sample.PubTator.txt", "sample.PubTator.txt", "sample.PubTator.txt"),
    "BRAT": ("brat", "docs", "docs", "docs"),
    "CHEMPROT_BLUE": ("relation", "chemprot_blue.tsv", "chemprot_blue.tsv", "chemprot_blue.tsv"),
    "CHEMPROT": ("relation", "chemprot_scibert.jsonl", "chemprot_scibert.jsonl", "chemprot_scibert.jsonl"),
    "DDI": ("relation", "ddi_blue.tsv", "ddi_blue.tsv", "ddi_blue.tsv"),
    "GAD": ("relation", "gad_biobert_train.tsv", "gad_biobert_train.tsv", "gad_biobert_train.tsv"),
    "MEDNLI": ("mednli", "sample.jsonl", "sample.jsonl", "sample.jsonl"),
}

# Variable -> default. The biLM files default to the bundled *random* biLM, which the embedder
# announces with a warning; the data paths default to the bundled fixture corpora.
CONFIG_VARIABLE_DEFAULTS: Dict[str, str] = {
    "BIOELMO_OPTIONS": os.path.join(BUNDLED_BILM, "options.json"),
    "BIOELMO_WEIGHTS": os.path.join(BUNDLED_BILM, "weights.hdf5"),
    "BIOELMO_VOCAB": os.path.join(BUNDLED_BILM, "vocab.txt"),
    "BIOELMO_CACHE": "",  # empty: compute the biLM on the fly; a bioelmo-embed file: read from it
    "NER_EPOCHS": "30",
    "RE_EPOCHS": "20",
    "NLI_EPOCHS": "20",
    **{
        f"{prefix}_{split}": os.path.join(FIXTURES, "data", folder, name)
        for prefix, (folder, *names) in DATASETS.items()
        for split, name in zip(("TRAIN", "DEV", "TEST"), names)
    },
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
