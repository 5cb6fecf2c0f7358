"""
Throughput of our `BiLm` against AllenNLP's ELMo biLM on the same full-size random weight file.

    python benchmarks/bilm_throughput.py [--batch-sizes 1 8 32 64] [--batches 4] [--threads 2]
        [--device cpu|cuda] [--dtypes float32 bfloat16] [--profile] [--smoke]

Prints, per batch size and dtype: tokens/s of ours and of AllenNLP's `_ElmoBiLm` (timed in turn,
in the same run), their ratio, the largest difference of the outputs relative to the largest
output, and (float32 on CPU) the share of the GEMM bound: this machine's measured float32 rate
of the biLM's own largest matrix product (all input-to-gate products of a layer at once, for the
batch's token count) divided by the biLM's FLOPs per token. `--profile` adds where our time goes.
Peak memory: resident set of the process on CPU, allocated memory per implementation on CUDA.
`--smoke`: the tiny fixture biLM instead of the full-size one, batch 1 and 4, 2 batches each.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from typing import Callable, List

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from allennlp_bioelmo.common.cpu_features import native_bfloat16_flags
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.testing.bilm_fixtures import FULL_BIOELMO_OPTIONS, write_bilm_fixture
from harness import (
    FIXTURE_BILM,
    Batch,
    add_smoke_argument,
    corpus_sentences,
    peak_memory_mb,
    random_batch,
    reset_peak_memory,
    synchronize,
    tokens_per_second,
)


def largest_product_rate(options: BiLmOptions, tokens: int, device: torch.device) -> float:
    """
    GFLOP/s of the biLM's largest matrix product in float32: `(tokens, projection_dim) x
    (projection_dim, 4 * lstm_dim)`, the input-to-gate products of one layer and direction for
    all tokens of a batch (with the <S> and </S> the biLM adds).
    """
    inputs = torch.randn(tokens, options.projection_dim, device=device)
    kernel = torch.randn(options.projection_dim, 4 * options.lstm_dim, device=device)
    torch.mm(inputs, kernel)
    synchronize(device)
    repeats, start = 5, time.perf_counter()
    for _ in range(repeats):
        torch.mm(inputs, kernel)
    synchronize(device)
    seconds = (time.perf_counter() - start) / repeats
    return 2 * tokens * options.projection_dim * 4 * options.lstm_dim / seconds / 1e9


# How `--profile` names the operations inside the biLSTM.
LSTM_OPERATIONS = {
    "aten::addmm": "input-to-gate products (one per layer and direction)",
    "aten::addmm_": "recurrent products (one per step)",
    "mkldnn::_linear_pointwise": "recurrent products (one per step)",
    "aten::mm": "cell-to-projection products (one per step)",
}
GATE_OPERATIONS = {"aten::sigmoid_", "aten::tanh_", "aten::tanh", "aten::mul_", "aten::add_"}
GATE_OPERATIONS |= {"aten::clamp_", "aten::sigmoid", "aten::mul", "aten::add", "aten::clamp"}


def profile_breakdown(run: Callable, batches: List[Batch]) -> None:
    """
    Where the time of `run` goes on `batches`, from `torch.profiler` self times: the stages that
    `BiLm` labels (token vectors, biLSTM, unpacking), the biLSTM split by operation kind, and the
    rest (sorting, packing). Self times of all threads are summed, so with the two directions in
    parallel streams the total exceeds the wall time.
    """
    from torch.profiler import ProfilerActivity, profile

    run(batches[0][0])  # warm-up
    start = time.perf_counter()
    # All threads: the backward directions run in a helper thread (parallel streams).
    config = torch._C._profiler._ExperimentalConfig(profile_all_threads=True)
    with profile(activities=[ProfilerActivity.CPU], experimental_config=config) as profiler:
        for ids, _ in batches:
            run(ids)
    wall = (time.perf_counter() - start) / len(batches)
    totals: dict = {}
    for event in profiler.events():
        chain = [event]
        while chain[-1].cpu_parent is not None:
            chain.append(chain[-1].cpu_parent)
        names = [e.name for e in reversed(chain)]  # outermost first
        stages = [n for n in names if n.startswith(("BiLm.", "ProjectedBiLstm."))]
        stage = stages[0] if stages else "sorting, packing, other"
        if stage == "BiLm.lstm" or stage.startswith("ProjectedBiLstm."):
            below = names[names.index(stages[-1]) + 1 :] if stages else names
            operation = below[0] if below else None
            if operation is None:  # a label's own time: Python between the operations
                stage = "biLSTM Python between operations"
            elif operation in LSTM_OPERATIONS:
                stage = "biLSTM " + LSTM_OPERATIONS[operation]
            elif operation in GATE_OPERATIONS:
                stage = "biLSTM gate and state element-wise passes"
            else:
                stage = "biLSTM copies, slicing, allocation"
        totals[stage] = totals.get(stage, 0.0) + event.self_cpu_time_total / 1e3
    summed = sum(totals.values())
    print(f"    {wall * 1e3:.0f} ms per batch (wall); self time per batch, all threads:")
    for stage, milliseconds in sorted(totals.items(), key=lambda item: -item[1]):
        per_batch = milliseconds / len(batches)
        print(f"      {per_batch:8.1f} ms  {milliseconds / summed:6.1%}  {stage}")


def largest_relative_difference(ours: List[torch.Tensor], theirs: List[torch.Tensor]) -> float:
    scale = max(float(t.float().abs().max()) for t in theirs)
    return max(float((a.float() - b.float()).abs().max()) for a, b in zip(ours, theirs)) / scale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--batch-sizes", type=int, nargs="+", help="default 1 8 32 64 (smoke 1 4)")
    parser.add_argument("--batches", type=int, help="per batch size; default 4 (smoke 2)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument(
        "--dtypes",
        nargs="+",
        choices=["float32", "bfloat16"],
        help="default: float32, plus bfloat16 on CUDA and on CPUs with native bfloat16",
    )
    parser.add_argument(
        "--fixture-dir", default=os.path.join(tempfile.gettempdir(), "bioelmo_full_random")
    )
    parser.add_argument("--skip-allennlp", action="store_true")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also time ours without parallel directions and prepacked recurrent kernels",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print where our float32 CPU time goes"
    )
    add_smoke_argument(parser)
    args = parser.parse_args()
    args.batch_sizes = args.batch_sizes or ([1, 4] if args.smoke else [1, 8, 32, 64])
    args.batches = args.batches or (2 if args.smoke else 4)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.exit(f"--device {args.device}: torch sees no CUDA device on this machine")
    torch.set_num_threads(args.threads)
    dtypes = args.dtypes or (
        ["float32", "bfloat16"] if device.type == "cuda" or native_bfloat16_flags() else ["float32"]
    )

    if args.smoke:
        bilm_name = "the fixture biLM (smoke)"
        options_file, weight_file = FIXTURE_BILM["BIOELMO_OPTIONS"], FIXTURE_BILM["BIOELMO_WEIGHTS"]
    else:
        bilm_name = "full-size random BioELMo"
        weight_file = os.path.join(args.fixture_dir, "weights.hdf5")
        if not os.path.exists(weight_file):
            print(f"writing a full-size random BioELMo weight file to {args.fixture_dir} ...")
            write_bilm_fixture(args.fixture_dir, FULL_BIOELMO_OPTIONS, seed=1)
        options_file = os.path.join(args.fixture_dir, "options.json")
    options = BiLmOptions.from_file(options_file)
    flops = options.flops_per_token()

    def load_ours(dtype: torch.dtype, baseline: bool = False) -> BiLm:
        bilm = BiLm.from_files(options_file, weight_file).eval().to(device, dtype)
        if baseline:  # the two speed-ups off: directions in turn, recurrent kernels unpacked
            bilm.lstm.parallel_directions = False
            for layer in bilm.lstm.layers:
                for direction in layer:
                    direction._recurrent_product.min_rows = sys.maxsize
        return bilm

    def load_reference(dtype: torch.dtype):
        from allennlp.modules.elmo import _ElmoBiLm

        return _ElmoBiLm(options_file, weight_file).eval().to(device, dtype)

    rng = random.Random(0)
    sentences, source = corpus_sentences(args.smoke)
    where = f"{args.threads} threads" if device.type == "cpu" else str(device)
    print(
        f"{bilm_name} ({flops / 1e6:.0f} MFLOP/token), {where}, "
        f"sentences: {source}, {args.batches} batches per size"
    )
    models: dict = {}  # one copy per dtype: converting back and forth would round the weights

    def model(key: str, load: Callable):
        if key not in models:
            models[key] = load()
        return models[key]

    with torch.no_grad():
        for batch_size in args.batch_sizes:
            batches = [
                random_batch(batch_size, rng, sentences, device) for _ in range(args.batches)
            ]
            mean_tokens = sum(n for _, n in batches) // len(batches) + 2 * batch_size
            rate = largest_product_rate(options, mean_tokens, device)
            bound = rate * 1e9 / flops
            print(
                f"batch {batch_size}: largest product ({mean_tokens} x "
                f"{options.projection_dim} x {4 * options.lstm_dim}) {rate:.0f} GFLOP/s "
                f"-> GEMM bound {bound:.0f} tokens/s"
            )
            for dtype_name in dtypes:
                dtype = getattr(torch, dtype_name)
                ours = model("ours " + dtype_name, lambda: load_ours(dtype))
                implementations = [("ours", ours)]
                if args.baseline and dtype_name == "float32":
                    baseline = model("baseline", lambda: load_ours(dtype, baseline=True))
                    implementations.append(("baseline", baseline))
                if not args.skip_allennlp:
                    reference = model("allennlp " + dtype_name, lambda: load_reference(dtype))

                    def run_reference(ids, reference=reference):
                        reference._elmo_lstm.reset_states()  # stateless, like ours by default
                        return reference(ids)

                    implementations.append(("allennlp", run_reference))
                ours_tps, outputs = None, {}
                line = f"  {dtype_name:<8}"
                for name, run in implementations:
                    if device.type == "cuda":
                        reset_peak_memory(device)
                    try:
                        tps = tokens_per_second(run, batches, device)
                    except RuntimeError as error:  # e.g. an operator without this dtype
                        line += f"  {name} failed: {str(error).splitlines()[0][:80]}"
                        continue
                    outputs[name] = run(batches[0][0])["activations"]
                    line += f"  {name} {tps:.0f} tok/s"
                    if name == "ours":
                        ours_tps = tps
                        if dtype_name == "float32":
                            line += f" ({tps / bound:.0%} of bound)"
                    else:
                        line += f" (ours {ours_tps / tps:.2f}x)"
                    if device.type == "cuda":
                        line += f" peak {peak_memory_mb(device):.0f} MB"
                if "allennlp" in outputs:
                    difference = largest_relative_difference(outputs["ours"], outputs["allennlp"])
                    line += f"  max|ours - allennlp|/max|allennlp| {difference:.1e}"
                print(line, flush=True)
                if args.profile and dtype_name == "float32" and device.type == "cpu":
                    for name, run in implementations[:2]:
                        print(f"  {name}:")
                        profile_breakdown(run, batches)
    if device.type == "cpu":
        print(f"peak resident memory of the process {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
