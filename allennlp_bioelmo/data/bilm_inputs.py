"""
What the biLM reads: sentence files, vocabulary files, and batches of character ids.

`batch_to_ids` is the counterpart of AllenNLP's `allennlp.modules.elmo.batch_to_ids` and the one
place where tokenized sentences become the `(batch, timesteps, max_characters)` tensor the biLM
takes; every command, module and test goes through it.
"""

import json
from typing import Dict, List, Optional, Sequence

import numpy
import torch
from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.data.dataset_readers.reader_utils import (
    DataFormatError,
    read_lines,
    require_tokens,
)
from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoCharacterMapper
from allennlp_bioelmo.data.tokenizers.bio_regex_tokenizer import BioRegexTokenizer


def batch_to_ids(
    sentences: Sequence[Sequence[str]],
    max_characters: int = 50,
    device: Optional[torch.device] = None,
) -> torch.Tensor:
    """
    Character ids of tokenized sentences: `(len(sentences), longest or 1, max_characters)`, with
    padded tokens all zeros (what the `bioelmo_characters` indexer produces, batched).
    """
    mapper = BioElmoCharacterMapper(max_characters=max_characters)
    width = max([1] + [len(sentence) for sentence in sentences])
    ids = numpy.zeros((len(sentences), width, max_characters), dtype=numpy.int64)
    seen: Dict[str, List[int]] = {}  # running text repeats tokens; map each distinct one once
    for row, sentence in enumerate(sentences):
        for column, token in enumerate(sentence):
            token_ids = seen.get(token)
            if token_ids is None:
                token_ids = seen[token] = mapper.convert_word_to_char_ids(token)
            ids[row, column] = token_ids
    return torch.from_numpy(ids).to(device) if device is not None else torch.from_numpy(ids)


def read_vocabulary_file(vocab_file: str) -> List[str]:
    """
    The released vocabulary format: one token per line (`<S>`, `</S>`, `<UNK>` among them); a
    UTF-8 byte-order mark is dropped and CRLF accepted.
    """
    try:
        with open(vocab_file, "r", encoding="utf-8-sig") as handle:
            return [line.rstrip("\n").rstrip("\r") for line in handle if line.strip()]
    except FileNotFoundError:
        raise ConfigurationError(f"BioELMo vocabulary file not found: {vocab_file}")
    except UnicodeDecodeError as error:
        raise ConfigurationError(f"BioELMo vocabulary file {vocab_file} is not UTF-8: {error}")


def read_sentences(input_file: str, tokenize_raw_text: bool = False) -> List[List[str]]:
    """
    One sentence per line: whitespace-tokenized text (bilm-tf's data format), raw text
    (`tokenize_raw_text`, our offline `bio_regex` tokenizer), or JSON objects with `tokens`, a
    list of strings (files ending in .jsonl). A UTF-8 byte-order mark is dropped and CRLF
    accepted. Errors name the file and line.
    """
    tokenizer = BioRegexTokenizer()
    sentences = []
    as_json = input_file.endswith(".jsonl")
    for line_number, line in read_lines(input_file):
        if not line.strip():
            raise DataFormatError(
                input_file, line_number, "empty line: one sentence per line expected"
            )
        if as_json:
            try:
                tokens = json.loads(line)["tokens"]
            except (json.JSONDecodeError, KeyError, TypeError):
                raise DataFormatError(
                    input_file, line_number, 'expected a JSON object with "tokens"'
                )
            try:
                require_tokens(tokens)
            except ValueError as error:
                raise DataFormatError(input_file, line_number, str(error))
        elif tokenize_raw_text:
            tokens = [token.text for token in tokenizer.tokenize(line)]
        else:
            tokens = line.split()
        sentences.append(list(tokens))
    if not sentences:
        raise DataFormatError(input_file, 0, "the file is empty")
    return sentences
