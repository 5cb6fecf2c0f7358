"""
The `bio_ner` predictor: `{"text": ...}` or `{"tokens": [...]}` in, tags and entities (with
character offsets for text) out.
"""

from typing import Any, Dict, List

from allennlp.common.checks import ConfigurationError
from allennlp.common.util import JsonDict, sanitize
from allennlp.data import Instance
from allennlp.predictors.predictor import Predictor

from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    require_string,
    require_tokens,
)
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter
from allennlp_bioelmo.models.bio_crf_tagger import tags_to_spans


@Predictor.register("bio_ner")
class BioNerPredictor(Predictor):
    """
    Biomedical NER predictions for `allennlp predict`. Each input line is either
    `{"text": "raw text"}` (split into sentences and tokenized offline by the `bio_regex`
    tokenizer) or `{"tokens": ["pre", "tokenized"]}`. The output has the tokens, their tags and
    the entities, each with its type and, for raw text, character offsets `start`/`end` such that
    `text[start:end]` is the entity's exact text. A `text` that is not a string or `tokens` that
    are not a list of strings is a `ConfigurationError` naming the input and the key.

    Registered as a `Predictor` with name "bio_ner".
    """

    def __init__(self, model, dataset_reader, frozen: bool = True) -> None:
        super().__init__(model, dataset_reader, frozen)
        self._tokenizer = BioRegexTokenizer()
        self._splitter = BioSentenceSplitter()

    def predict(self, text: str) -> JsonDict:
        """Entities of raw `text` (any number of sentences), with character offsets."""
        return self.predict_json({"text": text})

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        if "tokens" not in json_dict:
            raise ConfigurationError("bio_ner expects a 'text' or a 'tokens' key")
        return self._dataset_reader.text_to_instance(list(_tokens(json_dict, 1)))

    def predict_json(self, inputs: JsonDict) -> JsonDict:
        return self.predict_batch_json([inputs])[0]

    def predict_batch_json(self, inputs: List[JsonDict]) -> List[JsonDict]:
        # Every input becomes one or more sentences; they are predicted in one batch.
        sentences: List[Dict[str, Any]] = []
        for number, json_dict in enumerate(inputs):
            if "text" in json_dict:
                try:
                    text = require_string(json_dict, "text", allow_empty=True)
                except ValueError as error:
                    raise ConfigurationError(f"bio_ner input {number + 1}: {error}")
                for start, end in self._splitter.split_offsets(text):
                    tokens = self._tokenizer.tokenize_span(text, start, end)
                    if tokens:
                        sentences.append({"input": number, "tokens": tokens})
            elif "tokens" in json_dict:
                words = _tokens(json_dict, number + 1)
                if words:  # no tokens: an empty result, as for empty text
                    sentences.append({"input": number, "tokens": None, "words": list(words)})
            else:
                raise ConfigurationError(
                    f"bio_ner input {number + 1} has neither 'text' nor 'tokens': "
                    f"{sorted(json_dict)}"
                )
        instances = [
            self._dataset_reader.text_to_instance(
                s["words"] if s["tokens"] is None else [t.text for t in s["tokens"]]
            )
            for s in sentences
        ]
        for instance in instances:
            self._dataset_reader.apply_token_indexers(instance)
        outputs = self._model.forward_on_instances(instances) if instances else []
        results: List[Dict[str, Any]] = [{"tokens": [], "tags": [], "entities": []} for _ in inputs]
        for sentence, output in zip(sentences, outputs):
            result = results[sentence["input"]]
            tags = output["tags"]
            offset = len(result["tokens"])
            if sentence["tokens"] is None:
                result["tokens"].extend({"text": w} for w in sentence["words"])
            else:
                result["tokens"].extend(
                    {"text": t.text, "start": t.idx, "end": t.idx_end} for t in sentence["tokens"]
                )
            result["tags"].extend(tags)
            for entity_type, (first, last) in tags_to_spans(tags, self._model.label_encoding):
                entity = {
                    "type": entity_type,
                    "token_start": offset + first,
                    "token_end": offset + last + 1,
                }
                if sentence["tokens"] is not None:
                    text = inputs[sentence["input"]]["text"]
                    start, end = sentence["tokens"][first].idx, sentence["tokens"][last].idx_end
                    entity.update({"text": text[start:end], "start": start, "end": end})
                else:
                    entity["text"] = " ".join(sentence["words"][first : last + 1])
                result["entities"].append(entity)
        return sanitize(results)


def _tokens(json_dict: JsonDict, number: int) -> List[str]:
    """The `tokens` of input `number` (1-based), which must be a list of strings."""
    try:
        return require_tokens(json_dict["tokens"])
    except ValueError as error:
        raise ConfigurationError(f"bio_ner input {number}: {error}")
