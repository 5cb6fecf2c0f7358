from allennlp.common.checks import ConfigurationError
from allennlp.common.util import JsonDict
from allennlp.data import Instance
from allennlp.predictors.predictor import Predictor

from allennlp_bioelmo.predictors.classification_predictor import ClassificationPredictor


@Predictor.register("bio_nli")
class BioNliPredictor(ClassificationPredictor):
    """
    NLI predictions for `allennlp predict`: input lines `{"sentence1": premise, "sentence2":
    hypothesis}` (MedNLI's keys); output `label` and `class_probabilities`.

    Registered as a `Predictor` with name "bio_nli".
    """

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        if not isinstance(json_dict.get("sentence1"), str) or not isinstance(
            json_dict.get("sentence2"), str
        ):
            raise ConfigurationError(
                "bio_nli input needs 'sentence1' and 'sentence2' strings, found "
                f"{sorted(json_dict)}"
            )
        return self._dataset_reader.text_to_instance(json_dict["sentence1"], json_dict["sentence2"])

    def _tokens(self, instance: Instance):
        return {
            "premise": instance["metadata"]["premise_tokens"],
            "hypothesis": instance["metadata"]["hypothesis_tokens"],
        }
