"""
The environment variables that `training_configs/` read with `std.extVar`, and their defaults.

AllenNLP hands every environment variable to Jsonnet, but `std.extVar` has no default, so importing
the plugin sets each variable that is not already set to its default. A user points a config at
real files by exporting the variable; nothing else changes.

* The biLM files default to BioELMo-small, shipped inside the package (package data, so a wheel
  has them too).
* `CUDA_DEVICE` (the configs' `trainer.cuda_device`) defaults to the first GPU where torch sees
  one, and to the CPU (-1) otherwise.
* The data paths default to the small fixture corpora of the repository the configs come from
  (the source tree of an editable install, or the current directory or one of its parents); a
  reader that opens one of them logs a warning naming the variable to set. Outside a checkout
  they stay unset, and Jsonnet's error names the missing variable.
* `BIOELMO_OUTPUT_DIM` (the width of the biLM's layers) is derived from `BIOELMO_OPTIONS`. Where
  that file is missing or broken, importing still works (a warning names the file), and a config
  that needs the width fails with the real problem, e.g. "BioELMo options file not found: <path>".
"""

import logging
import os
from typing import Dict, Optional, Set, Tuple

from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions

logger = logging.getLogger(__name__)

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIOELMO_SMALL_DIR = os.path.join(PACKAGE_ROOT, "pretrained", "bioelmo_small")
BIOELMO_SMALL_FILES = {
    "BIOELMO_OPTIONS": os.path.join(BIOELMO_SMALL_DIR, "options.json"),
    "BIOELMO_WEIGHTS": os.path.join(BIOELMO_SMALL_DIR, "weights.hdf5"),
    "BIOELMO_VOCAB": os.path.join(BIOELMO_SMALL_DIR, "vocab.txt"),
    "BIOELMO_SOFTMAX": os.path.join(BIOELMO_SMALL_DIR, "softmax.hdf5"),
}

# Data sets the configs read: variable prefix -> (fixture folder, train, dev, test file). Each gives
# three variables, e.g. NCBI_DISEASE_TRAIN, NCBI_DISEASE_DEV, NCBI_DISEASE_TEST.
DATASETS: Dict[str, Tuple[str, str, str, str]] = {
    "NCBI_DISEASE": ("ncbi_disease", "train.txt", "dev.txt", "test.txt"),
    "BC5CDR": ("bc5cdr", "train.tsv", "dev.tsv", "test.tsv"),
    "JNLPBA": ("jnlpba", "train.tsv", "dev.tsv", "test.tsv"),
    "BC2GM": ("bc2gm", "train.tsv", "devel.tsv", "test.tsv"),
    "IOB": ("ncbi_disease", "train.txt", "dev.txt", "test.txt"),
    "CDR_PUBTATOR": (
        "pubtator",
        "sample.PubTator.txt",
        "sample.PubTator.txt",
        "sample.PubTator.txt",
    ),
    "BRAT": ("brat", "docs", "docs", "docs"),
    # the document-model fixtures (fixtures/documents), beside fixtures/data
    "BIOC": (
        os.path.join("..", "documents"),
        "sample.bioc.xml",
        "sample.bioc.json",
        "sample.bioc.xml",
    ),
    "CDR_BIOC": (
        os.path.join("..", "documents"),
        "sample.bioc.xml",
        "sample.bioc.xml",
        "sample.bioc.xml",
    ),
    "DDI_DRUGS": (os.path.join("..", "documents"), "ddi", "ddi", "ddi"),
    "CHEMPROT_BLUE": ("relation", "chemprot_blue.tsv", "chemprot_blue.tsv", "chemprot_blue.tsv"),
    "CHEMPROT": (
        "relation",
        "chemprot_scibert.jsonl",
        "chemprot_scibert.jsonl",
        "chemprot_scibert.jsonl",
    ),
    "DDI": ("relation", "ddi_blue.tsv", "ddi_blue.tsv", "ddi_blue.tsv"),
    "CDR_CID": (
        os.path.join("..", "documents", "cdr_cid"),
        "sample.BioC.xml",
        "sample.PubTator.txt",
        "sample.BioC.xml",
    ),
    "DDI_XML": (
        os.path.join("..", "documents"),
        "ddi_relations",
        "ddi_relations",
        "ddi_relations",
    ),
    "GAD": ("relation", "gad_biobert_train.tsv", "gad_biobert_train.tsv", "gad_biobert_train.tsv"),
    "MEDNLI": ("mednli", "sample.jsonl", "sample.jsonl", "sample.jsonl"),
}


def default_cuda_device() -> str:
    """`"0"` (the first GPU) where torch sees a CUDA device, `"-1"` (the CPU) otherwise."""
    import torch

    return "0" if torch.cuda.is_available() else "-1"


def add_cuda_device_argument(parser) -> None:
    """`--cuda-device` for a command: default `CUDA_DEVICE`, i.e. the first GPU if there is one."""
    parser.add_argument(
        "--cuda-device",
        type=int,
        default=int(os.environ.get("CUDA_DEVICE") or default_cuda_device()),
        help="GPU to run on, -1 for the CPU (default: CUDA_DEVICE, the first GPU if there is one)",
    )


# Variables whose defaults do not depend on where the configs are.
FIXED_DEFAULTS: Dict[str, str] = {
    **BIOELMO_SMALL_FILES,
    "BIOELMO_CACHE": "",  # empty: compute the biLM on the fly; a bioelmo-embed file: read from it
    "NER_EPOCHS": "30",
    "RE_EPOCHS": "20",
    "NLI_EPOCHS": "20",
    "BIOC_ENTITY_TYPES": "",  # ner/bioc.jsonnet's type filter: comma-separated; empty: every type
}


def find_repository_root(start: Optional[str] = None) -> Optional[str]:
    """
    The checkout whose `training_configs/` and `fixtures/` the defaults point into: the source
    tree this package was imported from (editable install), else `start` (the current directory)
    or the nearest parent of it that holds them; None outside a checkout.
    """
    candidates = [os.path.dirname(PACKAGE_ROOT)]
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidates.append(directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    for candidate in candidates:
        if os.path.isfile(
            os.path.join(candidate, "training_configs", "common.libsonnet")
        ) and os.path.isdir(os.path.join(candidate, "fixtures", "data")):
            return candidate
    return None


def fixture_data_defaults(repository_root: Optional[str]) -> Dict[str, str]:
    """Data-path variable -> fixture file of `repository_root` (empty without a checkout)."""
    if repository_root is None:
        return {}
    fixtures = os.path.join(repository_root, "fixtures", "data")
    return {
        f"{prefix}_{split}": os.path.join(fixtures, folder, name)
        for prefix, (folder, *names) in DATASETS.items()
        for split, name in zip(("TRAIN", "DEV", "TEST"), names)
    }


def config_variable_defaults(repository_root: Optional[str] = None) -> Dict[str, str]:
    """Every variable's default, the data paths relative to `repository_root` (found if None)."""
    root = repository_root if repository_root is not None else find_repository_root()
    return {**FIXED_DEFAULTS, "CUDA_DEVICE": default_cuda_device(), **fixture_data_defaults(root)}


# BIOELMO_OUTPUT_DIM when BIOELMO_OPTIONS cannot be read starts with this, then names the file and
# what is wrong with it; `bilmDim` in training_configs/common.libsonnet raises it as the config's
# error (an unset variable would fail with Jsonnet's "undefined external variable" instead).
_UNDERIVED_OUTPUT_DIM = "BIOELMO_OUTPUT_DIM cannot be derived from BIOELMO_OPTIONS"


def bilm_output_dim(options_file: str) -> int:
    """
    The width of the biLM's layers (2 x `lstm.projection_dim`) that `options_file` describes.

    Raises `ConfigurationError` naming the file ("not found", "not valid UTF-8 JSON", or the bad
    key).
    """
    return BiLmOptions.from_file(options_file).output_dim


def set_config_variable_defaults() -> None:
    """
    Set every config variable the environment does not set to its default (see the module docs).
    """
    for name, default in config_variable_defaults().items():
        os.environ.setdefault(name, default)
    # Configs size the layers after the embedder with BIOELMO_OUTPUT_DIM (1024 for BioELMo), so
    # the same config fits the real biLM and BioELMo-small. A placeholder inherited from a parent
    # process is not the user's setting: derive the width again.
    if os.environ.get("BIOELMO_OUTPUT_DIM", _UNDERIVED_OUTPUT_DIM).startswith(
        _UNDERIVED_OUTPUT_DIM
    ):
        options_file = os.environ["BIOELMO_OPTIONS"]
        try:
            os.environ["BIOELMO_OUTPUT_DIM"] = str(bilm_output_dim(options_file))
        except Exception as error:  # importing the plugin must not fail, whatever the file holds
            reason = (
                str(error)
                if isinstance(error, ConfigurationError)
                else f"BioELMo options file {options_file} cannot be read: {error}"
            )
            problem = (
                f"{_UNDERIVED_OUTPUT_DIM}: {reason} (fix BIOELMO_OPTIONS, or export "
                "BIOELMO_OUTPUT_DIM)"
            )
            logger.warning("%s", problem)
            os.environ["BIOELMO_OUTPUT_DIM"] = problem


# ---- telling the user which files they are using -------------------------------------------------

_announced: Set[Tuple[str, ...]] = set()  # log each message once per process, not per embedder


def _same_file(a: Optional[str], b: str) -> bool:
    if not a or not os.path.exists(a) or not os.path.exists(b):
        return False
    return os.path.samefile(a, b)


def _is_random_test_bilm(path: Optional[str]) -> bool:
    """
    The random test biLM of `fixtures/bilm` (written by `allennlp_bioelmo.testing.bilm_fixtures`).
    """
    if not path:
        return False
    folder = os.path.dirname(os.path.abspath(path))
    return (
        os.path.basename(folder) == "bilm"
        and os.path.basename(os.path.dirname(folder)) == "fixtures"
    )


def log_bilm_files(options_file: str, weight_file: Optional[str]) -> None:
    """Log once which biLM an embedder loads: BioELMo-small, the random test biLM, or the user's."""
    key = (
        "bilm",
        os.path.abspath(options_file),
        os.path.abspath(weight_file) if weight_file else "",
    )
    if key in _announced:
        return
    _announced.add(key)
    files = f"options {options_file}, weights {weight_file or '(from the model archive)'}"
    if any(_is_random_test_bilm(path) for path in (options_file, weight_file)):
        logger.warning(
            "BioELMo files: %s -- the RANDOM test biLM of fixtures/bilm, not a trained model; set "
            "BIOELMO_OPTIONS and BIOELMO_WEIGHTS to BioELMo-small (the default) or the released "
            "files.",
            files,
        )
    elif _same_file(options_file, BIOELMO_SMALL_FILES["BIOELMO_OPTIONS"]):
        logger.info(
            "BioELMo files: %s -- BioELMo-small, the small biLM shipped with allennlp-bioelmo; set "
            "BIOELMO_OPTIONS and BIOELMO_WEIGHTS to the released BioELMo files for the paper's "
            "model.",
            files,
        )
    else:
        logger.info("BioELMo files: %s", files)


def warn_if_fixture_corpus(file_path: str) -> None:
    """
    Warn (once per file) when a reader opens a fixture corpus that a config variable defaulted to.
    """
    path = os.path.abspath(file_path)
    variables = sorted(
        name
        for name, default in fixture_data_defaults(find_repository_root()).items()
        if os.environ.get(name)
        and os.path.abspath(os.environ[name]) == path
        and default == os.environ[name]
    )
    if not variables or ("data", path) in _announced:
        return
    _announced.add(("data", path))
    logger.warning(
        "Reading %s, a tiny FIXTURE corpus for tests, because %s %s not set: export %s=<your "
        "file> to "
        "train or evaluate on real data.",
        file_path,
        " / ".join(variables),
        "is" if len(variables) == 1 else "are",
        variables[0],
    )
