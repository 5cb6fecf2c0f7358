"""
A test-only trainer callback (loaded with --include-package) that records which training
sentences each distributed worker saw in each epoch.
"""

import json
import os

import torch.distributed as dist
from allennlp.training.callbacks.callback import TrainerCallback


@TrainerCallback.register("record_training_instances")
class RecordTrainingInstances(TrainerCallback):
    def on_batch(
        self,
        trainer,
        batch_inputs,
        batch_outputs,
        batch_metrics,
        epoch,
        batch_number,
        is_training,
        is_primary=True,
        batch_grad_norm=None,
        **kwargs,
    ) -> None:
        if not is_training:
            return
        rank = dist.get_rank() if dist.is_available() and dist.is_initialized() else 0
        path = os.path.join(self.serialization_dir, f"seen_rank{rank}_epoch{epoch}.jsonl")
        with open(path, "a", encoding="utf-8") as handle:
            for batch in batch_inputs:
                for metadata in batch["metadata"]:
                    handle.write(json.dumps(metadata["words"]) + "\n")
