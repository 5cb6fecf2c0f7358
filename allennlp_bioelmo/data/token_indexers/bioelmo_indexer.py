"""
The `bioelmo_characters` token indexer: each token as the character ids BioELMo (bilm-tf) was
trained on, identical to AllenNLP's `elmo_characters`.
"""

from typing import Dict, List, Optional

import torch
from allennlp.common.util import pad_sequence_to_length
from allennlp.data.token_indexers.token_indexer import IndexedTokenList, TokenIndexer
from allennlp.data.tokenizers import Token
from allennlp.data.vocabulary import Vocabulary


class BioElmoCharacterMapper:
    """
    Maps a token to the character ids bilm-tf (and so BioELMo) was trained on: the token's UTF-8
    bytes (truncated to `max_characters - 2`) between begin-of-word and end-of-word marks, padded
    with the padding id. Every id is shifted by one so that 0 is free for padded *tokens*.

    The sentence boundary tokens `<S>` and `</S>` and any `tokens_to_add` map to a single
    special character between the word marks.
    """

    beginning_of_sentence_character = 256
    end_of_sentence_character = 257
    beginning_of_word_character = 258
    end_of_word_character = 259
    padding_character = 260

    bos_token = "<S>"
    eos_token = "</S>"

    def __init__(self, tokens_to_add: Optional[Dict[str, int]] = None, max_characters: int = 50):
        if max_characters < 3:
            raise ValueError(f"max_characters must be at least 3, got {max_characters}")
        self.tokens_to_add = dict(tokens_to_add or {})
        self.max_characters = max_characters

    def _single_character_token(self, character: int) -> List[int]:
        ids = [self.padding_character] * self.max_characters
        ids[0] = self.beginning_of_word_character
        ids[1] = character
        ids[2] = self.end_of_word_character
        return [i + 1 for i in ids]

    def convert_word_to_char_ids(self, word: str) -> List[int]:
        if word in self.tokens_to_add:
            return self._single_character_token(self.tokens_to_add[word])
        if word == self.bos_token:
            return self._single_character_token(self.beginning_of_sentence_character)
        if word == self.eos_token:
            return self._single_character_token(self.end_of_sentence_character)
        # Bytes that are not valid UTF-8 cannot occur in a Python str; lone surrogates are dropped.
        encoded = word.encode("utf-8", "ignore")[: self.max_characters - 2]
        ids = [self.padding_character] * self.max_characters
        ids[0] = self.beginning_of_word_character
        ids[1 : len(encoded) + 1] = encoded
        ids[len(encoded) + 1] = self.end_of_word_character
        return [i + 1 for i in ids]

    def char_ids_to_word(self, char_ids: List[int]) -> str:
        """The token a row of character ids came from (up to the 48-byte truncation)."""
        ids = [i - 1 for i in char_ids]
        if ids[0] != self.beginning_of_word_character:
            raise ValueError(f"not a word's character ids: {char_ids[:4]}...")
        if ids[1] == self.beginning_of_sentence_character and ids[2] == self.end_of_word_character:
            return self.bos_token
        if ids[1] == self.end_of_sentence_character and ids[2] == self.end_of_word_character:
            return self.eos_token
        end = ids.index(self.end_of_word_character, 1)
        special = {v: k for k, v in self.tokens_to_add.items()}
        if end == 2 and ids[1] in special:
            return special[ids[1]]
        return bytes(ids[1:end]).decode("utf-8", "replace")

    def boundary_char_ids(self) -> torch.Tensor:
        """`(2, max_characters)` ids of `<S>` and `</S>`."""
        return torch.tensor(
            [
                self.convert_word_to_char_ids(self.bos_token),
                self.convert_word_to_char_ids(self.eos_token),
            ],
            dtype=torch.long,
        )


@TokenIndexer.register("bioelmo_characters")
class BioElmoTokenCharactersIndexer(TokenIndexer):
    """
    Converts each token to the character ids BioELMo's char CNN reads: identical to AllenNLP's
    `elmo_characters` ids, so models trained with either indexer read the same tensors.

    Registered as a `TokenIndexer` with name "bioelmo_characters".

    # Parameters

    namespace : `str`, optional (default = `"elmo_characters"`)
        Unused vocabulary namespace (characters need no vocabulary); kept for symmetry with
        AllenNLP's indexer.
    tokens_to_add : `Dict[str, int]`, optional (default = `None`)
        Special tokens mapped to one reserved character id each (use ids BioELMo never saw in
        training, e.g. 1-31, for entity markers such as `<<`).
    max_characters_per_token : `int`, optional (default = `50`)
        Must equal `char_cnn.max_characters_per_token` of the options; longer tokens are truncated.
    token_min_padding_length : `int`, optional (default = `0`)
        See `TokenIndexer`.
    """

    def __init__(
        self,
        namespace: str = "elmo_characters",
        tokens_to_add: Optional[Dict[str, int]] = None,
        max_characters_per_token: int = 50,
        token_min_padding_length: int = 0,
    ) -> None:
        super().__init__(token_min_padding_length)
        self._namespace = namespace
        self._mapper = BioElmoCharacterMapper(tokens_to_add, max_characters_per_token)

    def count_vocab_items(self, token: Token, counter: Dict[str, Dict[str, int]]):
        pass

    def get_empty_token_list(self) -> IndexedTokenList:
        return {"elmo_tokens": []}

    def tokens_to_indices(self, tokens: List[Token], vocabulary: Vocabulary) -> IndexedTokenList:
        texts = [token.text for token in tokens]
        if any(text is None for text in texts):
            raise ValueError("bioelmo_characters needs tokens with text, found a token without")
        return {"elmo_tokens": [self._mapper.convert_word_to_char_ids(text) for text in texts]}

    def as_padded_tensor_dict(
        self, tokens: IndexedTokenList, padding_lengths: Dict[str, int]
    ) -> Dict[str, torch.Tensor]:
        # A padded token is all zeros (not padding characters): that is how the biLM finds the mask.
        width = self._mapper.max_characters
        return {
            "elmo_tokens": torch.LongTensor(
                pad_sequence_to_length(
                    tokens["elmo_tokens"],
                    padding_lengths["elmo_tokens"],
                    default_value=lambda: [0] * width,
                )
            )
        }
