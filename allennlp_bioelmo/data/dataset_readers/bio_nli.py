"""
The `bio_nli` reader: natural language inference pairs in MedNLI's jsonl format, e.g.

```
{"sentence1": "Labs were notable for Cr 1.7.", "sentence2": "Patient has elevated Cr",
 "gold_label": "entailment", "pairID": "p1"}
```
"""

from typing import Dict, Iterable, Optional, Tuple

from allennlp.data.dataset_readers.dataset_reader import DatasetReader
from allennlp.data.fields import LabelField, MetadataField, TextField
from allennlp.data.instance import Instance
from allennlp.data.token_indexers import TokenIndexer
from allennlp.data.tokenizers import Token

from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    DataFormatError,
    LabelPresence,
    default_token_indexers,
    optional_label,
    read_json_lines,
)
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer

LABELS = ("entailment", "contradiction", "neutral")


@DatasetReader.register("bio_nli")
class BioNliDatasetReader(DatasetReader):
    """
    Natural language inference pairs in MedNLI's jsonl format: one object per line with
    `sentence1` (premise), `sentence2` (hypothesis) and `gold_label` (`entailment`,
    `contradiction` or `neutral`; a file without `gold_label` gives unlabelled instances, a file
    that mixes labelled and unlabelled lines, a `null` label or an empty sentence is an error
    naming the file and the line). Sentences are tokenized by `bio_regex`. MedNLI itself needs a
    credentialed licence; any file in its format works.

    Registered as a `DatasetReader` with name "bio_nli".

    # Parameters

    token_indexers : `Dict[str, TokenIndexer]`, optional (default = `{"elmo": bioelmo_characters}`)
    label_namespace : `str`, optional (default = `"labels"`)
    """

    def __init__(
        self,
        token_indexers: Optional[Dict[str, TokenIndexer]] = None,
        label_namespace: str = "labels",
        **kwargs,
    ) -> None:
        super().__init__(
            manual_distributed_sharding=True, manual_multiprocess_sharding=True, **kwargs
        )
        self._token_indexers = token_indexers or default_token_indexers()
        self._label_namespace = label_namespace
        self._tokenizer = BioRegexTokenizer()

    def _read(self, file_path: str) -> Iterable[Instance]:
        yield from self.shard_iterable(self._records(file_path))

    def _records(self, file_path: str):
        any_line = False
        labels = LabelPresence(file_path, "gold_label")
        for line_number, record in read_json_lines(file_path):
            any_line = True
            try:
                premise, hypothesis = self.pair_from_json(record)
                label = optional_label(record, "gold_label")
            except ValueError as error:
                raise DataFormatError(file_path, line_number, str(error))
            if label is not None and label not in LABELS:
                raise DataFormatError(
                    file_path, line_number, f"gold_label {label!r} is not one of {LABELS}"
                )
            labels.check(line_number, label)
            yield self.text_to_instance(
                premise, hypothesis, label, {"id": record.get("pairID", str(line_number))}
            )
        if not any_line:
            raise DataFormatError(file_path, 0, "the file is empty")

    @staticmethod
    def pair_from_json(record: dict) -> Tuple[str, str]:
        """
        (premise, hypothesis) of a MedNLI record (also used by the `bio_nli` predictor); a
        missing, non-string or empty sentence is a ValueError saying which.
        """
        missing = [
            key for key in ("sentence1", "sentence2") if not isinstance(record.get(key), str)
        ]
        if missing:
            raise ValueError(f"missing or non-string {missing} (MedNLI format expected)")
        for key, role in (("sentence1", "premise"), ("sentence2", "hypothesis")):
            if not record[key].strip():
                raise ValueError(f"'{key}' ({role}) is empty: expected a sentence")
        return record["sentence1"], record["sentence2"]

    def text_to_instance(  # type: ignore
        self,
        premise: str,
        hypothesis: str,
        label: Optional[str] = None,
        metadata: Optional[dict] = None,
    ) -> Instance:
        premise_tokens = [Token(t.text) for t in self._tokenizer.tokenize(premise)]
        hypothesis_tokens = [Token(t.text) for t in self._tokenizer.tokenize(hypothesis)]
        fields = {
            "premise": TextField(premise_tokens),
            "hypothesis": TextField(hypothesis_tokens),
            "metadata": MetadataField(
                {
                    "premise_tokens": [t.text for t in premise_tokens],
                    "hypothesis_tokens": [t.text for t in hypothesis_tokens],
                    **(metadata or {}),
                }
            ),
        }
        if label is not None:
            fields["label"] = LabelField(label, label_namespace=self._label_namespace)
        return Instance(fields)

    def apply_token_indexers(self, instance: Instance) -> None:
        instance["premise"].token_indexers = self._token_indexers  # type: ignore
        instance["hypothesis"].token_indexers = self._token_indexers  # type: ignore
