"""
The `bio_relation` predictor: one sentence with two marked, masked or offset entities in, the
relation label out.
"""

from typing import List

from allennlp.common.checks import ConfigurationError
from allennlp.common.util import JsonDict
from allennlp.data import Instance
from allennlp.predictors.predictor import Predictor

from allennlp_bioelmo.predictors.classification_predictor import ClassificationPredictor

# What a `bio_document_relation` instance says about where it comes from.
DOCUMENT_KEYS = (
    "document_id",
    "head_mention",
    "tail_mention",
    "head_identifiers",
    "tail_identifiers",
    "relation_arguments",
)


@Predictor.register("bio_relation")
class BioRelationPredictor(ClassificationPredictor):
    """
    Relation predictions for `allennlp predict`. Each input line is one sentence, in any form the
    `bio_relation` reader reads one record: `{"text": "<< head >> ... [[ tail ]] ..."}`,
    `{"sentence": "... @CHEMICAL$ ... @GENE$ ..."}`, or `{"text" | "tokens", "head": {"start",
    "end"}, "tail": {...}}` with offsets. Output: `label`, `class_probabilities`, the `tokens`
    the model saw and the `head` and `tail` token spans (inclusive). A bad record (a missing key,
    a value of the wrong type, an entity covering no token) is a `ConfigurationError` saying
    which key and what was expected.

    With `--use-dataset-reader` and a `bio_document_relation` model, each instance of the
    documents is predicted, and its output also has `document`: the document id, the head and
    tail mention ids and identifiers and the `relation_arguments`, so that predictions map back
    to the documents' mentions and concepts.

    Registered as a `Predictor` with name "bio_relation".
    """

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        try:
            example = self._dataset_reader.example_from_json(json_dict)
        except ValueError as error:
            raise ConfigurationError(f"bio_relation input: {error}")
        return self._dataset_reader.text_to_instance(*example)

    def predict_batch_instance(self, instances: List[Instance]) -> List[JsonDict]:
        outputs = super().predict_batch_instance(instances)
        for instance, output in zip(instances, outputs):
            metadata = instance["metadata"].metadata  # type: ignore
            if "document_id" in metadata:
                output["document"] = {key: metadata[key] for key in DOCUMENT_KEYS}
        return outputs

    def _tokens(self, instance: Instance):
        return {
            "words": instance["metadata"]["words"],
            "head": [instance["head"].span_start, instance["head"].span_end],
            "tail": [instance["tail"].span_start, instance["tail"].span_end],
        }
