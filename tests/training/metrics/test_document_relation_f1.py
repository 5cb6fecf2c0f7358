import pytest
import torch.distributed as dist
import torch.multiprocessing as mp

from allennlp_bioelmo.training.metrics import DocumentRelationF1
from allennlp_bioelmo.training.metrics import document_relation_f1

# Two documents. d1's gold: CID(C1, D1), CID(C1, D2), CID(C2, D3) -- the last one unreachable
# (no instance stands for it), carried only in the gold sets. d2's gold: CID(C3, D4).
D1_GOLD = [["CID", "C1", "D1"], ["CID", "C1", "D2"], ["CID", "C2", "D3"]]
D2_GOLD = [["CID", "C3", "D4"]]


def instance(document, arguments, gold):
    return {
        "document_id": document,
        "relation_arguments": arguments,
        "gold_relations": {document: gold},
    }


# (predicted label, metadata) per instance
BATCHES = [
    [
        ("CID", instance("d1", [["C1", "D1"]], D1_GOLD)),  # true positive
        ("CID", instance("d1", [["C1", "D1"]], D1_GOLD)),  # the same relation again: no new count
        ("NONE", instance("d1", [["C1", "D2"]], D1_GOLD)),  # C1-D2 missed here ...
    ],
    [
        ("CID", instance("d1", [["C4", "D2"]], D1_GOLD)),  # false positive
        ("NONE", instance("d2", [["C3", "D4"]], D2_GOLD)),  # missed
        # a composite mention (D1|D2): predicting it predicts C1-D1 and C1-D2
        ("CID", instance("d1", [["C1", "D1"], ["C1", "D2"]], D1_GOLD)),
    ],
]
# predicted {d1 C1-D1, d1 C1-D2, d1 C4-D2}; gold {d1 C1-D1, d1 C1-D2, d1 C2-D3, d2 C3-D4}
EXPECTED = {"precision": 2 / 3, "recall": 2 / 4, "f1": 2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4)}


def feed(metric, batches):
    for batch in batches:
        metric([label for label, _ in batch], [metadata for _, metadata in batch])


def test_scores_known_by_construction():
    metric = DocumentRelationF1(negative_label="NONE")
    feed(metric, BATCHES)
    scores = metric.get_metric(reset=True)
    for name, value in EXPECTED.items():
        assert scores[name] == pytest.approx(value), name
    assert scores["f1-CID"] == pytest.approx(EXPECTED["f1"])
    assert metric.get_metric()["recall"] == 0.0  # reset


def test_batch_order_and_repeated_gold_do_not_matter():
    metric = DocumentRelationF1(negative_label="NONE")
    feed(metric, [BATCHES[1], BATCHES[0], BATCHES[1]])
    scores = metric.get_metric()
    assert scores["precision"] == pytest.approx(EXPECTED["precision"])
    assert scores["recall"] == pytest.approx(EXPECTED["recall"])


def test_negative_label_from_metadata_and_types_kept_apart():
    metric = DocumentRelationF1()  # no negative label of its own: the instances say it
    first = {**instance("d1", [["C1", "D1"]], [["CID", "C1", "D1"]]), "negative_label": "NONE"}
    second = {**instance("d1", [["C1", "D2"]], [["CID", "C1", "D1"]]), "negative_label": "NONE"}
    metric(["NONE", "Other"], [first, second])
    scores = metric.get_metric()
    assert scores["precision"] == 0.0 and scores["recall"] == 0.0
    assert set(scores) == {"f1-CID", "f1-Other", "precision", "recall", "f1"}


def test_distributed_merge_unites_the_workers_sets(monkeypatch):
    # each worker saw one batch; the gathered result is the single-process one
    workers = [DocumentRelationF1(negative_label="NONE") for _ in BATCHES]
    for worker, batch in zip(workers, BATCHES):
        feed(worker, [batch])
    states = [[worker._predicted, worker._gold] for worker in workers]

    def all_gather_object(output, _mine):
        output[:] = states

    monkeypatch.setattr(document_relation_f1, "is_distributed", lambda: True)
    monkeypatch.setattr(document_relation_f1.dist, "get_world_size", lambda: len(workers))
    monkeypatch.setattr(document_relation_f1.dist, "all_gather_object", all_gather_object)
    for worker in workers:
        scores = worker.get_metric()
        for name, value in EXPECTED.items():
            assert scores[name] == pytest.approx(value), name


def _worker(rank, world_size, port, results):
    dist.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size
    )
    try:
        metric = DocumentRelationF1(negative_label="NONE")
        feed(metric, [BATCHES[rank]])
        results[rank] = metric.get_metric(reset=True)
    finally:
        dist.destroy_process_group()


def test_two_gloo_workers_agree_with_one_process():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with mp.Manager() as manager:
        results = manager.dict()
        # fork: the workers start with the modules this process imported already
        mp.start_processes(
            _worker, args=(2, port, results), nprocs=2, join=True, start_method="fork"
        )
        for rank in range(2):
            for name, value in EXPECTED.items():
                assert results[rank][name] == pytest.approx(value), (rank, name)
