"""
How far BioELMo vectors computed from zero LSTM states (our default) and from the warm-start state
lie from vectors computed statefully (states carried across sentences, as in bilm-tf training).

    python benchmarks/state_drift.py [--options-file F --weight-file W] [--text-file corpus.txt]
    python benchmarks/state_drift.py --smoke   # the fixture biLM on the 3 fixture test sentences

Reads sentences (one per line, whitespace-tokenized, or an IOB column file; default: NCBI-disease
test, ../shared/data/ncbi-disease/test.txt or its copy in data/ncbi-disease), runs them one at a
time through a stateful biLM, and compares each LSTM layer with the zero-state and warm-start
vectors of the same sentence: mean and max absolute difference and mean cosine distance per layer.
With random weights the figures only show the mechanism; run it with the real BioELMo files for
real figures.
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from allennlp_bioelmo.common.config_variables import BIOELMO_SMALL_FILES
from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.modules.token_embedders import BioElmoTokenEmbedder
from harness import FIXTURE_BILM, add_smoke_argument, column_file_sentences, ncbi_disease_file


def read_sentences(path: str, limit: int):
    """IOB column files (first column) or one whitespace-tokenized sentence per line."""
    first = next((line for line in open(path, encoding="utf-8") if line.strip()), "")
    if len(first.split()) > 1 and "\t" in first:
        return column_file_sentences(path)[:limit]
    return [line.split() for line in open(path, encoding="utf-8") if line.strip()][:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--options-file", help="default: BioELMo-small (smoke: the fixture biLM)")
    parser.add_argument("--weight-file", help="default: BioELMo-small (smoke: the fixture biLM)")
    parser.add_argument("--text-file", default=None)
    parser.add_argument("--sentences", type=int, help="default 200 (smoke 5)")
    add_smoke_argument(parser)
    args = parser.parse_args()
    bilm_files = FIXTURE_BILM if args.smoke else BIOELMO_SMALL_FILES
    args.options_file = args.options_file or bilm_files["BIOELMO_OPTIONS"]
    args.weight_file = args.weight_file or bilm_files["BIOELMO_WEIGHTS"]
    args.sentences = args.sentences or (5 if args.smoke else 200)
    text_file = args.text_file or ncbi_disease_file("test", args.smoke)
    sentences = read_sentences(text_file, args.sentences)
    embedders = {
        "stateful": BioElmoTokenEmbedder(
            args.options_file, args.weight_file, dropout=0.0, layer_mix="concat", stateful=True
        ),
        "zero": BioElmoTokenEmbedder(
            args.options_file, args.weight_file, dropout=0.0, layer_mix="concat"
        ),
        "warm": BioElmoTokenEmbedder(
            args.options_file, args.weight_file, dropout=0.0, layer_mix="concat", warm_start=True
        ),
    }
    layers = embedders["zero"].bilm.num_output_layers
    width = embedders["zero"].bilm.get_output_dim()
    totals = {
        name: torch.zeros(3, layers) for name in ("zero", "warm")
    }  # mean abs, max abs, cosine distance
    count = 0
    with torch.no_grad():
        for sentence in sentences:
            ids = batch_to_ids([sentence])
            vectors = {name: embedder(ids)[0] for name, embedder in embedders.items()}
            for name in ("zero", "warm"):
                for layer in range(layers):
                    a = vectors[name][:, layer * width : (layer + 1) * width]
                    b = vectors["stateful"][:, layer * width : (layer + 1) * width]
                    difference = (a - b).abs()
                    totals[name][0, layer] += difference.mean()
                    totals[name][1, layer] = max(totals[name][1, layer], difference.max())
                    totals[name][2, layer] += (1 - torch.cosine_similarity(a, b, dim=-1)).mean()
            count += 1
    print(f"{count} sentences from {text_file}; biLM {args.weight_file}")
    print(
        "distance from stateful vectors   layer:  " + "  ".join(f"{k:>22}" for k in range(layers))
    )
    for name in ("zero", "warm"):
        cells = [
            f"mean {totals[name][0, k] / count:.4f} cos {totals[name][2, k] / count:.4f}"
            for k in range(layers)
        ]
        print(f"{name + '-state':>14} (mean |diff|, cosine dist): " + "  ".join(cells))
        print(
            f"{'':>14} max |diff| per layer: "
            + "  ".join(f"{float(totals[name][1, k]):.4f}" for k in range(layers))
        )


if __name__ == "__main__":
    main()
