"""
Two independent pieces of CPU work run at the same time, each with half of torch's intra-op
threads. The biLM's two directions are such a pair: their per-step matrix products are too small
to keep two threads busy each, so two single-threaded streams finish sooner than one stream after
the other with two threads (`benchmarks/bilm_throughput.py` measures it).
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional, Tuple, TypeVar

import torch

First = TypeVar("First")
Second = TypeVar("Second")

# One helper thread per process, made on first use. A forked child (a data loader worker) does
# not inherit the thread, so it makes its own.
_helper: Optional[Tuple[int, ThreadPoolExecutor]] = None
_helper_lock = threading.Lock()


def _helper_thread() -> ThreadPoolExecutor:
    global _helper
    with _helper_lock:
        if _helper is None or _helper[0] != os.getpid():
            _helper = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="bioelmo-stream"))
        return _helper[1]


def can_run_in_parallel_streams(device: torch.device) -> bool:
    """True on a CPU with at least two intra-op threads to share out."""
    return device.type == "cpu" and torch.get_num_threads() >= 2


def run_in_parallel_streams(
    first: Callable[[], First], second: Callable[[], Second]
) -> Tuple[First, Second]:
    """
    Runs `first` in this thread and `second` in a helper thread, each with half of torch's
    intra-op threads, and returns both results. Torch's thread count is global, so it is lowered
    for the duration and restored afterwards, even when one of the two raises. `second` runs under
    the caller's grad mode, which threads do not inherit.
    """
    threads = torch.get_num_threads()
    share = max(1, threads // 2)
    grad_enabled = torch.is_grad_enabled()

    def in_helper() -> Second:
        torch.set_num_threads(share)  # OpenMP's count is per thread: set it here too
        with torch.set_grad_enabled(grad_enabled):
            return second()

    torch.set_num_threads(share)
    try:
        pending = _helper_thread().submit(in_helper)
        try:
            first_result = first()
        finally:
            # Even when `first` raised, wait: the helper must not outlive the lowered count.
            second_result = pending.result()
    finally:
        torch.set_num_threads(threads)
    return first_result, second_result
