"""One test per fix in allennlp_bioelmo/compat.py."""

import json
import os
import shutil

import pytest
import torch
from allennlp.common import Params
from allennlp.models.archival import load_archive

from allennlp_bioelmo.compat import strip_archived_weight_files
from allennlp_bioelmo.data.dataset_readers import BioConllDatasetReader
from tests.commands.cli import NER_CONFIG, allennlp
from tests.conftest import TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS


def test_strip_archived_weight_files_only_touches_our_embedders():
    params = Params(
        {
            "model": {
                "embedder": {"type": "bioelmo", "options_file": "o", "weight_file": "w"},
                "other": {"type": "elmo_token_embedder", "weight_file": "w"},
            }
        }
    )
    strip_archived_weight_files(params)
    assert (
        "weight_file" not in params["model"]["embedder"]
        and params["model"]["embedder"]["options_file"] == "o"
    )
    assert params["model"]["other"]["weight_file"] == "w"


def test_archive_loads_without_reading_the_hdf5(tmp_path):
    bilm_dir = tmp_path / "bilm"
    bilm_dir.mkdir()
    shutil.copy(TEST_BILM_OPTIONS, bilm_dir / "options.json")
    shutil.copy(TEST_BILM_WEIGHTS, bilm_dir / "weights.hdf5")
    env = {
        "BIOELMO_OPTIONS": str(bilm_dir / "options.json"),
        "BIOELMO_WEIGHTS": str(bilm_dir / "weights.hdf5"),
        "NER_EPOCHS": "1",
    }
    allennlp("train", NER_CONFIG, "-s", str(tmp_path / "out"), env=env)
    before = load_archive(str(tmp_path / "out" / "model.tar.gz")).model.state_dict()
    os.remove(bilm_dir / "weights.hdf5")  # a predicting user has only the archive (and options)
    after = load_archive(str(tmp_path / "out" / "model.tar.gz")).model.state_dict()
    assert set(before) == set(after)
    assert all(bool((before[k] == after[k]).all()) for k in before)


@pytest.mark.slow
def test_distributed_training_sees_each_instance_once_and_evaluates_on_test(tmp_path):
    overrides = json.dumps(
        {
            # dotted: a nested "trainer" would replace the config's whole trainer section
            "distributed": {"cuda_devices": [-1, -1]},
            "trainer.callbacks": [{"type": "record_training_instances"}],
        }
    )
    out = tmp_path / "out"
    allennlp(
        "train",
        NER_CONFIG,
        "-s",
        str(out),
        "-o",
        overrides,
        "--include-package",
        "tests.training.instance_recorder",
        env={"NER_EPOCHS": "2"},
    )
    metrics = json.loads((out / "metrics.json").read_text())
    assert "test_f1-measure-overall" in metrics and "validation_loss" in metrics  # fix 1
    training = [
        tuple(i["metadata"]["words"])
        for i in BioConllDatasetReader().read(os.environ["NCBI_DISEASE_TRAIN"])
    ]
    for epoch in (0, 1):
        seen = {
            rank: [
                tuple(json.loads(line))
                for line in open(out / f"seen_rank{rank}_epoch{epoch}.jsonl")
            ]
            for rank in (0, 1)
        }
        assert seen[0] and seen[1]  # both workers trained
        assert sorted(seen[0] + seen[1]) == sorted(training)  # every sentence exactly once


def test_checkpoint_saves_are_atomic(tmp_path, monkeypatch):
    from allennlp.training import checkpointer

    target = tmp_path / "training_state_e1_b0.th"

    def crash_mid_write(obj, path, *args, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"trunc")
        raise KeyboardInterrupt

    monkeypatch.setattr(torch, "save", crash_mid_write)
    with pytest.raises(KeyboardInterrupt):
        checkpointer.torch.save({"epochs_completed": 1}, target)
    assert not target.exists()  # an interrupted save leaves no truncated checkpoint behind
    monkeypatch.undo()
    checkpointer.torch.save({"epochs_completed": 1}, target)
    assert torch.load(target) == {"epochs_completed": 1}
    assert not (tmp_path / "training_state_e1_b0.th.partial").exists()  # renamed into place
