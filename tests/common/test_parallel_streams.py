import threading

import pytest
import torch

from allennlp_bioelmo.common.parallel_streams import (
    can_run_in_parallel_streams,
    run_in_parallel_streams,
)


@pytest.fixture
def four_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(4)
    yield
    torch.set_num_threads(before)


def test_both_run_at_once_with_half_the_threads_each_and_the_count_comes_back(four_threads):
    both_started = threading.Barrier(2, timeout=30)  # deadlocks (and times out) if run in turn

    def work(name):
        def run():
            both_started.wait()
            return name, torch.get_num_threads(), threading.get_ident()

        return run

    first, second = run_in_parallel_streams(work("first"), work("second"))
    assert first[:2] == ("first", 2) and second[:2] == ("second", 2)
    assert first[2] == threading.get_ident() != second[2]
    assert torch.get_num_threads() == 4


@pytest.mark.parametrize("failing", ["first", "second"])
def test_an_error_in_either_propagates_and_restores_the_thread_count(four_threads, failing):
    def run(name):
        def inner():
            if name == failing:
                raise ValueError(f"{name} failed")
            return name

        return inner

    with pytest.raises(ValueError, match=f"{failing} failed"):
        run_in_parallel_streams(run("first"), run("second"))
    assert torch.get_num_threads() == 4


def test_the_helper_runs_under_the_callers_grad_mode(four_threads):
    weight = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        _, no_grad = run_in_parallel_streams(lambda: None, lambda: (weight * 2).requires_grad)
    _, grad = run_in_parallel_streams(lambda: None, lambda: (weight * 2).requires_grad)
    assert (no_grad, grad) == (False, True)


def test_needs_two_cpu_threads():
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert not can_run_in_parallel_streams(torch.device("cpu"))
        torch.set_num_threads(2)
        assert can_run_in_parallel_streams(torch.device("cpu"))
        assert not can_run_in_parallel_streams(torch.device("cuda", 0))
    finally:
        torch.set_num_threads(before)
