"""
`allennlp bioelmo-finetune`: continue training a biLM language model (or train one from scratch)
on new text, with checkpoints, resume and a final export to weights HDF5 + options usable by the
`bioelmo` embedder.
"""
import argparse
import json
import os
import random
import shutil
import time
from typing import Dict, List, Optional

import torch
from allennlp.commands.subcommand import Subcommand
from tqdm import tqdm

from allennlp_bioelmo.commands.bioelmo_embed import read_sentences
from allennlp_bioelmo.commands.bioelmo_perplexity import perplexity
from allennlp_bioelmo.compat import atomic_torch_save
from allennlp_bioelmo.modules.bilm_language_model import BiLmLanguageModel
from allennlp_bioelmo.modules.bilm_weights import write_bilm_tf_weights
from allennlp_bioelmo.modules.token_embedders.bioelmo_token_embedder import read_vocabulary_file



def _batches(sentences: List[List[str]], batch_size: int, epoch: int, seed: int) -> List[List[List[str]]]:
    order = list(range(len(sentences)))
    random.Random(seed + epoch).shuffle(order)  # a fixed order per epoch, so a resumed run sees the same batches
    return [[sentences[i] for i in order[start : start + batch_size]] for start in range(0, len(order), batch_size)]


def finetune(
    options_file: str,
    vocab_file: str,
    train_file: str,
    output_dir: str,
    weight_file: Optional[str] = None,
    softmax_file: Optional[str] = None,
    epochs: int = 1,
    batch_size: int = 32,
    learning_rate: float = 0.001,
    num_samples: int = 8192,
    checkpoint_every: int = 100,
    max_steps: Optional[int] = None,
    seed: int = 0,
) -> Dict[str, float]:
    """Train; the checkpoint `output_dir/checkpoint.th` is written atomically and resumed from."""
    os.makedirs(output_dir, exist_ok=True)
    torch.manual_seed(seed)
    vocabulary = read_vocabulary_file(vocab_file)
    model = BiLmLanguageModel.from_files(options_file, vocabulary, weight_file, softmax_file)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    sentences = read_sentences(train_file, False)
    num_samples = min(num_samples, len(vocabulary) - 1)
    checkpoint_path = os.path.join(output_dir, "checkpoint.th")
    step = 0
    if os.path.exists(checkpoint_path):
        checkpoint = torch.load(checkpoint_path, weights_only=False)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        torch.set_rng_state(checkpoint["rng"])
        step = checkpoint["step"]
        print(f"resuming from step {step} ({checkpoint_path})")

    def save() -> None:
        atomic_torch_save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step,
                           "rng": torch.get_rng_state()}, checkpoint_path)

    per_epoch = len(_batches(sentences, batch_size, 0, seed))
    total = min(epochs * per_epoch, max_steps) if max_steps else epochs * per_epoch
    model.train()
    tokens, started = 0, time.perf_counter()
    progress = tqdm(total=total, initial=step, unit="step", desc="bioelmo-finetune")
    while step < total:
        epoch, index = divmod(step, per_epoch)
        batch = _batches(sentences, batch_size, epoch, seed)[index]
        output = model(**model.batch(batch), num_samples=num_samples)
        optimizer.zero_grad()
        output["loss"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)  # bilm-tf's all_clip_norm_val
        optimizer.step()
        step += 1
        tokens += int(output["forward_tokens"]) + int(output["backward_tokens"])
        progress.update(1)
        progress.set_postfix(loss=f"{output['loss'].item():.3f}", tok_per_s=f"{tokens / (time.perf_counter() - started):.0f}")
        if step % checkpoint_every == 0 or step == total:
            save()
    progress.close()
    elapsed = time.perf_counter() - started

    write_bilm_tf_weights(os.path.join(output_dir, "weights.hdf5"), model.bilm_tf_arrays())
    write_bilm_tf_weights(os.path.join(output_dir, "softmax.hdf5"), model.softmax_arrays())
    with open(os.path.join(output_dir, "options.json"), "w", encoding="utf-8") as handle:
        json.dump({**model.options.to_dict(), "n_tokens_vocab": len(vocabulary)}, handle, indent=2)
    if os.path.abspath(vocab_file) != os.path.abspath(os.path.join(output_dir, "vocab.txt")):
        shutil.copy(vocab_file, os.path.join(output_dir, "vocab.txt"))
    return {"steps": step, "tokens_per_second": tokens / elapsed if elapsed > 0 else 0.0,
            **{f"train_{k}": v for k, v in perplexity(model, sentences, batch_size).items()}}


@Subcommand.register("bioelmo-finetune")
class BioElmoFinetune(Subcommand):
    """
    Fine-tunes (or, without `--weight-file`, trains from scratch) a BioELMo language model on text.

    Registered as a `Subcommand` with name "bioelmo-finetune".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = ("Continue training a BioELMo biLM on one-sentence-per-line text (or train one from scratch); "
                       "rerun to resume; exports weights.hdf5, softmax.hdf5, options.json and vocab.txt.")
        subparser = parser.add_parser(self.name, description=description, help="Fine-tune the BioELMo biLM.")
        subparser.add_argument("train_file")
        subparser.add_argument("output_dir")
        subparser.add_argument("--options-file", default=os.environ.get("BIOELMO_OPTIONS"))
        subparser.add_argument("--vocab-file", default=os.environ.get("BIOELMO_VOCAB"))
        subparser.add_argument("--weight-file", help="start from these weights (default: random)")
        subparser.add_argument("--softmax-file", help="and this softmax")
        subparser.add_argument("--epochs", type=int, default=1)
        subparser.add_argument("--batch-size", type=int, default=32)
        subparser.add_argument("--learning-rate", type=float, default=0.001)
        subparser.add_argument("--num-samples", type=int, default=8192, help="negatives of the sampled softmax")
        subparser.add_argument("--checkpoint-every", type=int, default=100)
        subparser.add_argument("--max-steps", type=int)
        subparser.set_defaults(func=lambda args: print(json.dumps(finetune(
            args.options_file, args.vocab_file, args.train_file, args.output_dir, args.weight_file,
            args.softmax_file, args.epochs, args.batch_size, args.learning_rate, args.num_samples,
            args.checkpoint_every, args.max_steps,
        ), indent=2)))
        return subparser
