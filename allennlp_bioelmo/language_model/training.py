"""
Training a biLM language model (from scratch or from released weights) on one-sentence-per-line
text: Adam with a warm-up and an optional linear decay, sampled softmax, gradient clipping,
atomic checkpoints and resume, held-out perplexity after every epoch, a JSON-lines metrics log
(with the same scalars for TensorBoard beside it) and an export in the released format.
`allennlp bioelmo-finetune` is its command line.
"""

import importlib
import json
import logging
import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import torch
from tqdm import tqdm

from allennlp_bioelmo.common.file_utils import atomic_torch_save
from allennlp_bioelmo.data.bilm_inputs import read_sentences, read_vocabulary_file
from allennlp_bioelmo.language_model.bilm_language_model import BiLmLanguageModel
from allennlp_bioelmo.language_model.evaluation import perplexity

logger = logging.getLogger(__name__)


def _epoch_batches(
    sentences: List[List[str]], batch_size: int, epoch: int, seed: int
) -> List[List[List[str]]]:
    order = list(range(len(sentences)))
    # a fixed order per epoch, so a resumed run sees the same batches
    random.Random(seed + epoch).shuffle(order)
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


class _TensorBoardLog:
    """
    The metrics log's scalars as TensorBoard events in the same folder (`tensorboard --logdir
    output_dir`): `train/loss`, `train/learning_rate`, `train/tokens_per_second`,
    `validation/forward_perplexity`, `validation/backward_perplexity`, by step. A resumed run
    purges what an interrupted one logged after the checkpoint it resumes from. Written with
    tensorboardX (installed with AllenNLP); without it the run goes on with the JSON log only.
    """

    TAGS = {
        "loss": "train/loss",
        "learning_rate": "train/learning_rate",
        "tokens_per_second": "train/tokens_per_second",
        "validation_forward_perplexity": "validation/forward_perplexity",
        "validation_backward_perplexity": "validation/backward_perplexity",
    }

    def __init__(self, directory: str, start_step: int) -> None:
        try:
            tensorboardx = importlib.import_module("tensorboardX")
        except ImportError as error:
            logger.warning("No TensorBoard events (tensorboardX cannot be imported: %s)", error)
            self.writer = None
            return
        # a suffix of its own: two runs within one second would otherwise share a file name
        self.writer = tensorboardx.SummaryWriter(
            directory,
            purge_step=start_step or None,
            filename_suffix=f".step{start_step}.pid{os.getpid()}",
        )

    def write(self, record: Dict[str, Any]) -> None:
        # "start"/"resume" records hold the settings (the peak learning rate), not measurements
        if self.writer is None or "event" in record:
            return
        for key, tag in self.TAGS.items():
            if key in record:
                self.writer.add_scalar(tag, record[key], record["step"])
        self.writer.flush()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class _MetricsLog:
    """Appends one JSON object per line to `path` (a resumed run keeps appending), and hands
    each record to `tensorboard` once one is set."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.tensorboard: Optional[_TensorBoardLog] = None

    def write(self, **record) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
        if self.tensorboard is not None:
            self.tensorboard.write(record)


@dataclass(frozen=True)
class FinetuneSettings:
    """
    Everything one training run is given; the command-line options of `bioelmo-finetune`.

    The checkpoint `output_dir/checkpoint.th` is written atomically (every `checkpoint_every`
    steps, at the end and when interrupted) and resumed from. Progress goes to
    `output_dir/metrics.jsonl`: the sampled loss, learning rate and tokens/s every `log_every`
    steps, and the full-softmax perplexity of `validation_file` after every epoch (and every
    `validate_every` steps); with `tensorboard` the same scalars go to TensorBoard event files in
    `output_dir`. `num_samples` 0 trains with the full softmax. `cuda_device` -1 trains on the
    CPU, otherwise on that GPU.
    """

    options_file: str
    vocab_file: str
    train_file: str
    output_dir: str
    weight_file: Optional[str] = None
    softmax_file: Optional[str] = None
    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 0.001
    num_samples: int = 8192
    checkpoint_every: int = 100
    max_steps: Optional[int] = None
    seed: int = 0
    validation_file: Optional[str] = None
    validate_every: Optional[int] = None
    warmup_steps: int = 0
    lr_schedule: str = "constant"
    grad_clip: float = 10.0
    log_every: int = 50
    cuda_device: int = -1
    tensorboard: bool = True

    @property
    def checkpoint_path(self) -> str:
        return os.path.join(self.output_dir, "checkpoint.th")

    @property
    def device(self) -> torch.device:
        return torch.device("cpu" if self.cuda_device < 0 else f"cuda:{self.cuda_device}")


@dataclass
class _Run:
    """The state of one training run: what it trains, on what, and how far it is."""

    settings: FinetuneSettings
    model: BiLmLanguageModel
    optimizer: torch.optim.Optimizer
    sentences: List[List[str]]
    validation: Optional[List[List[str]]]
    num_samples: int  # the setting, capped by the vocabulary
    log: _MetricsLog
    steps_per_epoch: int
    total_steps: int
    step: int = 0
    validations: Dict[int, Dict[str, float]] = field(default_factory=dict)  # step -> perplexity


def _start_run(settings: FinetuneSettings) -> _Run:
    """Read the files and build the model and optimizer (random or given weights, at step 0)."""
    os.makedirs(settings.output_dir, exist_ok=True)
    # an unknown schedule fails before any work
    learning_rate_factor(0, 1, settings.warmup_steps, settings.lr_schedule)
    torch.manual_seed(settings.seed)
    vocabulary = read_vocabulary_file(settings.vocab_file)
    model = BiLmLanguageModel.from_files(
        settings.options_file, vocabulary, settings.weight_file, settings.softmax_file
    )
    model.to(settings.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.learning_rate)
    sentences = read_sentences(settings.train_file, False)
    validation = (
        read_sentences(settings.validation_file, False) if settings.validation_file else None
    )
    steps_per_epoch = len(_epoch_batches(sentences, settings.batch_size, 0, settings.seed))
    total_steps = settings.epochs * steps_per_epoch
    if settings.max_steps:
        total_steps = min(total_steps, settings.max_steps)
    return _Run(
        settings=settings,
        model=model,
        optimizer=optimizer,
        sentences=sentences,
        validation=validation,
        num_samples=min(settings.num_samples, len(vocabulary) - 1),
        log=_MetricsLog(os.path.join(settings.output_dir, "metrics.jsonl")),
        steps_per_epoch=steps_per_epoch,
        total_steps=total_steps,
    )


def _resume(run: _Run) -> None:
    """Continue from the checkpoint of an earlier run in the same folder, if there is one."""
    path = run.settings.checkpoint_path
    if not os.path.exists(path):
        return
    checkpoint = torch.load(path, map_location=run.settings.device, weights_only=False)
    run.model.load_state_dict(checkpoint["model"])
    run.optimizer.load_state_dict(checkpoint["optimizer"])
    torch.set_rng_state(checkpoint["rng"].cpu())
    run.step = checkpoint["step"]
    print(f"resuming from step {run.step} ({path})")


def _save(run: _Run) -> None:
    """Write the checkpoint that `_resume` reads, atomically."""
    atomic_torch_save(
        {
            "model": run.model.state_dict(),
            "optimizer": run.optimizer.state_dict(),
            "step": run.step,
            "rng": torch.get_rng_state(),
        },
        run.settings.checkpoint_path,
    )


def _log_start(run: _Run) -> None:
    """The metrics log's record of a (re)started run, unless there is nothing left to train."""
    settings = run.settings
    if run.step != 0 and run.step >= run.total_steps:
        return
    run.log.write(
        step=run.step,
        event="start" if run.step == 0 else "resume",
        train_file=settings.train_file,
        sentences=len(run.sentences),
        steps=run.total_steps,
        steps_per_epoch=run.steps_per_epoch,
        batch_size=settings.batch_size,
        learning_rate=settings.learning_rate,
        warmup_steps=settings.warmup_steps,
        lr_schedule=settings.lr_schedule,
        num_samples=run.num_samples,
        grad_clip=settings.grad_clip,
    )


def _train_step(run: _Run, batch: List[List[str]]) -> torch.Tensor:
    """One optimizer step on `batch` at the scheduled learning rate; returns the detached loss."""
    settings = run.settings
    factor = learning_rate_factor(
        run.step, run.total_steps, settings.warmup_steps, settings.lr_schedule
    )
    for group in run.optimizer.param_groups:
        group["lr"] = settings.learning_rate * factor
    output = run.model(**run.model.batch(batch), num_samples=run.num_samples)
    run.optimizer.zero_grad()
    output["loss"].backward()
    if settings.grad_clip:
        torch.nn.utils.clip_grad_norm_(run.model.parameters(), settings.grad_clip)
    run.optimizer.step()
    run.step += 1
    return output["loss"].detach()


class _Throughput:
    """
    Tokens predicted since the start, and the mean loss and tokens/s since the last log line. The
    loss stays on the device between log lines: reading it every step would wait for the GPU.
    """

    def __init__(self, device: torch.device) -> None:
        self.tokens = 0
        self.window_tokens, self.window_steps = 0, 0
        self.window_loss = torch.zeros((), device=device)
        self.started = self.window_started = time.perf_counter()

    def add(self, loss: torch.Tensor, batch: List[List[str]]) -> None:
        predicted = 2 * sum(len(sentence) + 1 for sentence in batch)  # both directions
        self.tokens += predicted
        self.window_tokens += predicted
        self.window_loss += loss
        self.window_steps += 1

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _log_training(run: _Run, meter: _Throughput, progress: tqdm) -> None:
    """The mean loss, learning rate and tokens/s since the last log line; starts a new window."""
    now = time.perf_counter()
    loss = meter.window_loss.item() / meter.window_steps
    progress.set_postfix(
        loss=f"{loss:.3f}", tok_per_s=f"{meter.tokens / (now - meter.started):.0f}"
    )
    run.log.write(
        step=run.step,
        epoch=run.step / run.steps_per_epoch,
        loss=loss,
        learning_rate=run.optimizer.param_groups[0]["lr"],
        tokens_per_second=meter.window_tokens / (now - meter.window_started),
    )
    meter.window_tokens, meter.window_steps, meter.window_started = 0, 0, now
    meter.window_loss.zero_()


def _validation_due(run: _Run) -> bool:
    """After every epoch, the last step and every `validate_every` steps, given held-out text."""
    validate_every = run.settings.validate_every
    return bool(run.validation) and (
        run.step % run.steps_per_epoch == 0
        or run.step == run.total_steps
        or bool(validate_every and run.step % validate_every == 0)
    )


def _validate(run: _Run) -> Dict[str, float]:
    """Full-softmax perplexity of the held-out text, logged and kept for the final result."""
    assert run.validation is not None
    result = run.validations[run.step] = perplexity(
        run.model, run.validation, run.settings.batch_size
    )
    run.model.train()
    run.log.write(
        step=run.step,
        epoch=run.step / run.steps_per_epoch,
        validation_forward_perplexity=result["forward"],
        validation_backward_perplexity=result["backward"],
    )
    print(
        f"step {run.step}: validation perplexity forward {result['forward']:.2f} backward "
        f"{result['backward']:.2f}"
    )
    return result


def _train(run: _Run, meter: _Throughput, progress: tqdm) -> None:
    """Step until the last step, logging, saving and validating when they are due."""
    settings = run.settings
    batches, batches_epoch = [], None
    while run.step < run.total_steps:
        epoch, index = divmod(run.step, run.steps_per_epoch)
        if batches_epoch != epoch:
            batches = _epoch_batches(run.sentences, settings.batch_size, epoch, settings.seed)
            batches_epoch = epoch
        batch = batches[index]
        meter.add(_train_step(run, batch), batch)
        progress.update(1)
        last = run.step == run.total_steps
        if run.step % settings.log_every == 0 or last:
            _log_training(run, meter, progress)
        if run.step % settings.checkpoint_every == 0 or last:
            _save(run)
        if _validation_due(run):
            _validate(run)


def _result(run: _Run, meter: _Throughput, elapsed: float) -> Dict[str, float]:
    """Steps, tokens/s and (given held-out text) the final perplexity, as `finetune` returns."""
    result = {
        "steps": run.step,
        "tokens_per_second": meter.tokens / elapsed if elapsed > 0 else 0.0,
    }
    if run.validation:
        final = run.validations.get(run.step) or perplexity(
            run.model, run.validation, run.settings.batch_size
        )
        result.update(
            validation_forward_perplexity=final["forward"],
            validation_backward_perplexity=final["backward"],
        )
    return result


def run_finetune(settings: FinetuneSettings) -> Dict[str, float]:
    """
    Train as `settings` says (see `FinetuneSettings`), resuming from the checkpoint in its
    `output_dir`, and export the biLM in the released format there. Ctrl-C or `kill` (SIGTERM)
    saves the finished steps before stopping. Returns the steps, the training tokens/s and, with
    a `validation_file`, the final perplexity.
    """
    run = _start_run(settings)
    _resume(run)
    if settings.tensorboard:
        run.log.tensorboard = _TensorBoardLog(settings.output_dir, run.step)
    _log_start(run)
    run.model.train()
    meter = _Throughput(settings.device)
    progress = tqdm(total=run.total_steps, initial=run.step, unit="step", desc="bioelmo-finetune")
    restore_sigterm = _stop_on_sigterm()
    try:
        _train(run, meter, progress)
    except KeyboardInterrupt:
        _save(run)  # keep the finished steps; rerunning the same command resumes here
        progress.close()
        print(
            f"interrupted: checkpoint at step {run.step} saved to {settings.checkpoint_path}; "
            "rerun to resume"
        )
        raise
    finally:
        restore_sigterm()
        if run.log.tensorboard is not None:
            run.log.tensorboard.close()
    progress.close()
    elapsed = meter.elapsed()
    run.model.save_released_files(settings.output_dir)
    return _result(run, meter, elapsed)


def finetune(
    options_file: str, vocab_file: str, train_file: str, output_dir: str, **settings: Any
) -> Dict[str, float]:
    """
    `run_finetune` with the four files given first and the other `FinetuneSettings` fields as
    keywords, e.g. `finetune(options, vocab, text, output_dir, epochs=3, batch_size=64)`.
    """
    return run_finetune(
        FinetuneSettings(options_file, vocab_file, train_file, output_dir, **settings)
    )
