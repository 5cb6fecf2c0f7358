"""
Training a biLM language model (from scratch or from released weights) on one-sentence-per-line
text: Adam with a warm-up and an optional linear decay, sampled softmax, gradient clipping,
atomic checkpoints and resume, held-out perplexity after every epoch, a JSON-lines metrics log
and an export in the released format. `allennlp bioelmo-finetune` is its command line.
"""

import json
import os
import random
import signal
import threading
import time
from typing import Dict, List, Optional

import torch
from tqdm import tqdm

from allennlp_bioelmo.common.file_utils import atomic_torch_save
from allennlp_bioelmo.data.bilm_inputs import read_sentences, read_vocabulary_file
from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel
from allennlp_bioelmo.language_model.evaluation import perplexity


def _epoch_batches(
    sentences: List[List[str]], batch_size: int, epoch: int, seed: int
) -> List[List[List[str]]]:
    order = list(range(len(sentences)))
    random.Random(seed + epoch).shuffle(
        order
    )  # a fixed order per epoch, so a resumed run sees the same batches
    return [
        [sentences[i] for i in order[start : start + batch_size]]
        for start in range(0, len(order), batch_size)
    ]


def learning_rate_factor(step: int, total_steps: int, warmup_steps: int, schedule: str) -> float:
    """
    Multiplier of the peak learning rate at `step`: a linear warm-up over `warmup_steps`, then
    `constant`, or `linear` decay to zero at `total_steps`.
    """
    if warmup_steps and step < warmup_steps:
        return (step + 1) / warmup_steps
    if schedule == "constant":
        return 1.0
    if schedule == "linear":
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup_steps))
    raise ValueError(
        f"unknown learning-rate schedule {schedule!r}: expected 'constant' or 'linear'"
    )


def _stop_on_sigterm():
    """Make SIGTERM raise KeyboardInterrupt (main thread only); returns the undo function."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


class _MetricsLog:
    """Appends one JSON object per line to `path` (a resumed run keeps appending)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def write(self, **record) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


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
    validation_file: Optional[str] = None,
    validate_every: Optional[int] = None,
    warmup_steps: int = 0,
    lr_schedule: str = "constant",
    grad_clip: float = 10.0,
    log_every: int = 50,
    cuda_device: int = -1,
) -> Dict[str, float]:
    """
    Train; the checkpoint `output_dir/checkpoint.th` is written atomically (every
    `checkpoint_every` steps, at the end and when interrupted) and resumed from. Progress goes to
    `output_dir/metrics.jsonl`: the sampled loss, learning rate and tokens/s every `log_every`
    steps, and the full-softmax perplexity of `validation_file` after every epoch (and every
    `validate_every` steps). `num_samples` 0 trains with the full softmax. `cuda_device` -1 trains
    on the CPU, otherwise on that GPU.
    """
    os.makedirs(output_dir, exist_ok=True)
    # an unknown schedule fails before any work
    learning_rate_factor(0, 1, warmup_steps, lr_schedule)
    torch.manual_seed(seed)
    vocabulary = read_vocabulary_file(vocab_file)
    model = BiLmLanguageModel.from_files(options_file, vocabulary, weight_file, softmax_file)
    device = torch.device("cpu" if cuda_device < 0 else f"cuda:{cuda_device}")
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    sentences = read_sentences(train_file, False)
    validation = read_sentences(validation_file, False) if validation_file else None
    num_samples = min(num_samples, len(vocabulary) - 1)
    checkpoint_path = os.path.join(output_dir, "checkpoint.th")
    log = _MetricsLog(os.path.join(output_dir, "metrics.jsonl"))
    step = 0
    if os.path.exists(checkpoint_path):
        checkpoint = torch.load(checkpoint_path, map_location=device, weights_only=False)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        torch.set_rng_state(checkpoint["rng"].cpu())
        step = checkpoint["step"]
        print(f"resuming from step {step} ({checkpoint_path})")

    def save() -> None:
        atomic_torch_save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "step": step,
                "rng": torch.get_rng_state(),
            },
            checkpoint_path,
        )

    last_validation: Dict[str, Dict[str, float]] = {}

    def validate() -> Dict[str, float]:
        result = last_validation[step] = perplexity(model, validation, batch_size)
        model.train()
        log.write(
            step=step,
            epoch=step / per_epoch,
            validation_forward_perplexity=result["forward"],
            validation_backward_perplexity=result["backward"],
        )
        print(
            f"step {step}: validation perplexity forward {result['forward']:.2f} backward "
            f"{result['backward']:.2f}"
        )
        return result

    per_epoch = len(_epoch_batches(sentences, batch_size, 0, seed))
    total = min(epochs * per_epoch, max_steps) if max_steps else epochs * per_epoch
    if step == 0 or step < total:
        log.write(
            step=step,
            event="start" if step == 0 else "resume",
            train_file=train_file,
            sentences=len(sentences),
            steps=total,
            steps_per_epoch=per_epoch,
            batch_size=batch_size,
            learning_rate=learning_rate,
            warmup_steps=warmup_steps,
            lr_schedule=lr_schedule,
            num_samples=num_samples,
            grad_clip=grad_clip,
        )
    model.train()
    # the loss stays on the device between log lines: reading it every step would wait for the GPU
    tokens, window_tokens, window_steps = 0, 0, 0
    window_loss = torch.zeros((), device=device)
    started = window_started = time.perf_counter()
    progress = tqdm(total=total, initial=step, unit="step", desc="bioelmo-finetune")
    epoch_batches, batches_epoch = None, None
    # `kill` (SIGTERM) stops training like Ctrl-C does: the finished steps are saved first.
    restore_sigterm = _stop_on_sigterm()
    try:
        while step < total:
            epoch, index = divmod(step, per_epoch)
            if batches_epoch != epoch:
                epoch_batches, batches_epoch = (
                    _epoch_batches(sentences, batch_size, epoch, seed),
                    epoch,
                )
            factor = learning_rate_factor(step, total, warmup_steps, lr_schedule)
            for group in optimizer.param_groups:
                group["lr"] = learning_rate * factor
            batch = epoch_batches[index]
            output = model(**model.batch(batch), num_samples=num_samples)
            optimizer.zero_grad()
            output["loss"].backward()
            if grad_clip:
                torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
            optimizer.step()
            step += 1
            predicted = 2 * sum(len(sentence) + 1 for sentence in batch)  # both directions
            tokens += predicted
            window_tokens += predicted
            window_loss += output["loss"].detach()
            window_steps += 1
            progress.update(1)
            if step % log_every == 0 or step == total:
                now = time.perf_counter()
                loss = window_loss.item() / window_steps
                progress.set_postfix(
                    loss=f"{loss:.3f}", tok_per_s=f"{tokens / (now - started):.0f}"
                )
                log.write(
                    step=step,
                    epoch=step / per_epoch,
                    loss=loss,
                    learning_rate=learning_rate * factor,
                    tokens_per_second=window_tokens / (now - window_started),
                )
                window_tokens, window_steps, window_started = 0, 0, now
                window_loss.zero_()
            if step % checkpoint_every == 0 or step == total:
                save()
            if validation and (
                step % per_epoch == 0
                or step == total
                or (validate_every and step % validate_every == 0)
            ):
                validate()
    except KeyboardInterrupt:
        save()  # keep the finished steps; rerunning the same command resumes here
        progress.close()
        print(f"interrupted: checkpoint at step {step} saved to {checkpoint_path}; rerun to resume")
        raise
    finally:
        restore_sigterm()
    progress.close()
    elapsed = time.perf_counter() - started

    model.save_released_files(output_dir)
    result = {"steps": step, "tokens_per_second": tokens / elapsed if elapsed > 0 else 0.0}
    if validation:
        final = last_validation.get(step) or perplexity(model, validation, batch_size)
        result.update(
            validation_forward_perplexity=final["forward"],
            validation_backward_perplexity=final["backward"],
        )
    return result
