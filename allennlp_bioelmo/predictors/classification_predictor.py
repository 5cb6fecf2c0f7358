"""
What the `bio_relation` and `bio_nli` predictors share: their output (label, probabilities,
tokens).
"""

from typing import List

from allennlp.common.util import JsonDict, sanitize
from allennlp.data import Instance
from allennlp.predictors.predictor import Predictor


class ClassificationPredictor(Predictor):
    """Shared output of the sentence(-pair) classifiers: the label and every class probability."""

    def predict_instance(self, instance: Instance) -> JsonDict:
        return self.predict_batch_instance([instance])[0]

    def predict_batch_instance(self, instances: List[Instance]) -> List[JsonDict]:
        for instance in instances:
            self._dataset_reader.apply_token_indexers(instance)
        outputs = self._model.forward_on_instances(instances)
        return sanitize(
            [
                {
                    "label": output["label"],
                    "class_probabilities": output["class_probabilities"],
                    "tokens": self._tokens(instance),
                }
                for instance, output in zip(instances, outputs)
            ]
        )

    def _tokens(self, instance: Instance):
        raise NotImplementedError
