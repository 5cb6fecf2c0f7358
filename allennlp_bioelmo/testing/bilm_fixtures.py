"""
Writes biLM files in the exact formats BioELMo is released in, with random weights: an `options`
JSON, a bilm-tf `dump_weights` HDF5 file (layout in `allennlp_bioelmo.file_formats.bilm_weights`)
and a vocabulary file (one token per line, `<S>`, `</S>`, `<UNK>` first). The real files cannot be
downloaded here; these let tests and benchmarks exercise the real loading code.

    python -m allennlp_bioelmo.testing.bilm_fixtures fixtures/bilm --size small
"""

import argparse
import copy
import json
import os
from typing import Dict, Iterable, Optional, Tuple

import numpy

from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.file_formats.bilm_weights import bilm_tf_dataset_shapes, write_bilm_tf_weights

# The BioELMo release's network (Jin et al. 2019), in bilm-tf's training options form.
FULL_BIOELMO_OPTIONS = {
    "bidirectional": True,
    "char_cnn": {
        "activation": "relu",
        "embedding": {"dim": 16},
        "filters": [[1, 32], [2, 32], [3, 64], [4, 128], [5, 256], [6, 512], [7, 1024]],
        "max_characters_per_token": 50,
        "n_characters": 261,
        "n_highway": 2,
    },
    "dropout": 0.1,
    "lstm": {
        "cell_clip": 3,
        "dim": 4096,
        "n_layers": 2,
        "proj_clip": 3,
        "projection_dim": 512,
        "use_skip_connections": True,
    },
    "all_clip_norm_val": 10.0,
    "n_epochs": 10,
    "n_train_tokens": 2463000000,
    "batch_size": 128,
    "n_tokens_vocab": 1000000,
    "unroll_steps": 20,
    "n_negative_samples_batch": 8192,
}

# Same architecture, small enough for unit tests and the bundled demo.
SMALL_OPTIONS = copy.deepcopy(FULL_BIOELMO_OPTIONS)
SMALL_OPTIONS["char_cnn"].update(
    {"embedding": {"dim": 4}, "filters": [[1, 4], [2, 8], [3, 8], [5, 12]], "n_highway": 2}
)
SMALL_OPTIONS["lstm"].update({"dim": 24, "projection_dim": 16})
SMALL_OPTIONS["n_tokens_vocab"] = 0

SIZES = {"small": SMALL_OPTIONS, "full": FULL_BIOELMO_OPTIONS}

DEFAULT_VOCABULARY = ["<S>", "</S>", "<UNK>"] + (
    "the of and in to a with was were for is by patients that as on from at or be this "
    "cancer cells protein gene expression disease tumor treatment clinical mutations "
    "BRCA1 p53 IL-2 TNF-alpha mice receptor kinase syndrome carcinoma cisplatin"
).split()


def random_bilm_tf_weights(options: BiLmOptions, seed: int = 0) -> Dict[str, numpy.ndarray]:
    """Random arrays for every dataset of the layout, scaled so that no gate saturates."""
    rng = numpy.random.default_rng(seed)
    arrays = {}
    for name, shape in bilm_tf_dataset_shapes(options).items():
        if name == "char_embed":
            values = rng.uniform(-1.0, 1.0, shape)
        elif name.endswith("/b_carry"):
            values = rng.normal(-2.0, 0.1, shape)  # bilm-tf's carry-gate bias initialisation
        elif len(shape) == 1:
            values = rng.normal(0.0, 0.1, shape)
        else:
            fan_in = int(numpy.prod(shape[:-1]))
            values = rng.normal(0.0, fan_in**-0.5, shape)
        arrays[name] = values.astype(numpy.float32)
    return arrays


def write_vocabulary(vocab_file: str, tokens: Iterable[str]) -> None:
    """One token per line, the released vocabulary format."""
    with open(vocab_file, "w", encoding="utf-8") as handle:
        for token in tokens:
            handle.write(token + "\n")


def write_bilm_fixture(
    directory: str,
    options_dict: Optional[dict] = None,
    seed: int = 0,
    vocabulary: Iterable[str] = DEFAULT_VOCABULARY,
) -> Tuple[str, str, str]:
    """Write `options.json`, `weights.hdf5` and `vocab.txt` into `directory`; return their paths."""
    os.makedirs(directory, exist_ok=True)
    options_dict = options_dict or SMALL_OPTIONS
    options_file = os.path.join(directory, "options.json")
    weight_file = os.path.join(directory, "weights.hdf5")
    vocab_file = os.path.join(directory, "vocab.txt")
    with open(options_file, "w", encoding="utf-8") as handle:
        json.dump(options_dict, handle, indent=2, sort_keys=True)
    options = BiLmOptions.from_dict(options_dict, source=options_file)
    write_bilm_tf_weights(weight_file, random_bilm_tf_weights(options, seed))
    write_vocabulary(vocab_file, vocabulary)
    return options_file, weight_file, vocab_file


def main() -> None:
    """Command line: write a random biLM fixture of the chosen size to a directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("directory")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for path in write_bilm_fixture(args.directory, SIZES[args.size], args.seed):
        print(path)


if __name__ == "__main__":
    main()
