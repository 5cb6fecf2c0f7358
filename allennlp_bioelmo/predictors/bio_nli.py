"""
The `bio_nli` predictor: `{"sentence1": premise, "sentence2": hypothesis}` in, label out.
"""

from allennlp.common.checks import ConfigurationError
from allennlp.common.util import JsonDict
from allennlp.data import Instance
from allennlp.predictors.predictor import Predictor

from allennlp_bioelmo.data.dataset_readers.bio_nli import BioNliDatasetReader
from allennlp_bioelmo.predictors.classification_predictor import ClassificationPredictor


@Predictor.register("bio_nli")
class BioNliPredictor(ClassificationPredictor):
    """
    NLI predictions for `allennlp predict`: input lines `{"sentence1": premise, "sentence2":
    hypothesis}` (MedNLI's keys); output `label` and `class_probabilities`.

    Registered as a `Predictor` with name "bio_nli".
    """

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        try:
            premise, hypothesis = BioNliDatasetReader.pair_from_json(json_dict)
        except ValueError as error:
            raise ConfigurationError(
                f"bio_nli input: {error}; it needs 'sentence1' and 'sentence2' strings, found "
                f"keys {sorted(json_dict)}"
            )
        return self._dataset_reader.text_to_instance(premise, hypothesis)

    def _tokens(self, instance: Instance):
        return {
            "premise": instance["metadata"]["premise_tokens"],
            "hypothesis": instance["metadata"]["hypothesis_tokens"],
        }
