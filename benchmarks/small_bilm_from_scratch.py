"""
Trains a small biLM from scratch with `bioelmo-finetune` on the text of the ../shared/data corpora
(NCBI-disease and BC2GM training sentences; held out: their dev sentences) and prints the held-out
forward/backward perplexity before and after, and training tokens/s. The result is a real
(non-random) small biLM in the released format, in --output-dir.

    python benchmarks/small_bilm_from_scratch.py [--steps 600] [--output-dir /tmp/small_bilm]
"""

import argparse
import collections
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from allennlp_bioelmo.language_model.training import finetune  # noqa: E402
from allennlp_bioelmo.language_model.evaluation import perplexity  # noqa: E402
from allennlp_bioelmo.common.config_variables import REPOSITORY_ROOT  # noqa: E402
from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel  # noqa: E402
from allennlp_bioelmo.testing.bilm_fixtures import SMALL_OPTIONS  # noqa: E402
from real_corpus import column_file_sentences  # noqa: E402

SHARED = os.path.join(os.path.dirname(REPOSITORY_ROOT), "shared", "data")
SOURCES = {
    "train": ["ncbi-disease/train.txt", "bc2gm/train.tsv"],
    "heldout": ["ncbi-disease/dev.txt", "bc2gm/devel.tsv"],
}


def sentences(paths):
    return [
        sentence for path in paths for sentence in column_file_sentences(os.path.join(SHARED, path))
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--vocab-size", type=int, default=20000)
    parser.add_argument("--output-dir", default=os.path.join(tempfile.gettempdir(), "small_bilm"))
    args = parser.parse_args()
    if not os.path.isdir(SHARED):
        sys.exit(f"real corpora not available: {SHARED}")
    train, heldout = sentences(SOURCES["train"]), sentences(SOURCES["heldout"])
    counts = collections.Counter(token for sentence in train for token in sentence)
    vocabulary = ["<S>", "</S>", "<UNK>"] + [
        token for token, _ in counts.most_common(args.vocab_size)
    ]
    work = tempfile.mkdtemp()
    for name, data in (("train.txt", train), ("heldout.txt", heldout)):
        with open(os.path.join(work, name), "w", encoding="utf-8") as handle:
            handle.write("\n".join(" ".join(s) for s in data) + "\n")
    with open(os.path.join(work, "vocab.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(vocabulary) + "\n")
    options = json.loads(json.dumps(SMALL_OPTIONS))
    options["lstm"].update({"dim": 256, "projection_dim": 64})
    options["char_cnn"].update(
        {"embedding": {"dim": 16}, "filters": [[1, 32], [2, 32], [3, 64], [4, 128]]}
    )
    with open(os.path.join(work, "options.json"), "w") as handle:
        json.dump(options, handle)
    before = perplexity(
        BiLmLanguageModel.from_files(os.path.join(work, "options.json"), vocabulary), heldout[:500]
    )
    result = finetune(
        os.path.join(work, "options.json"),
        os.path.join(work, "vocab.txt"),
        os.path.join(work, "train.txt"),
        args.output_dir,
        batch_size=32,
        learning_rate=0.002,
        num_samples=1024,
        max_steps=args.steps,
        checkpoint_every=100,
        epochs=100,
    )
    trained = BiLmLanguageModel.from_files(
        os.path.join(args.output_dir, "options.json"),
        vocabulary,
        os.path.join(args.output_dir, "weights.hdf5"),
        os.path.join(args.output_dir, "softmax.hdf5"),
    )
    after = perplexity(trained, heldout[:500])
    print(
        f"{len(train)} training sentences, vocabulary {len(vocabulary)}, {result['steps']} steps "
        "of 32 sentences"
    )
    print(
        f"held-out perplexity (500 dev sentences): forward {before['forward']:.0f} -> "
        f"{after['forward']:.1f}, "
        f"backward {before['backward']:.0f} -> {after['backward']:.1f}"
    )
    print(
        f"training {result['tokens_per_second']:.0f} predicted tokens/s (both directions); biLM "
        f"in {args.output_dir}"
    )


if __name__ == "__main__":
    main()
