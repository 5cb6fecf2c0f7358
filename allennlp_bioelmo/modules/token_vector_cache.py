"""
`TokenVectorCache`: char-CNN vectors of the tokens of a vocabulary, computed the first time a
token is seen and kept for the most recently used `max_size` tokens. It replaces precomputing a
whole vocabulary: for the released 1M-word BioELMo vocabulary that would cost about 55 TFLOP and
2 GB before the first sentence.
"""

from array import array
from collections import OrderedDict
from typing import Callable, Iterable, Optional, Set

import numpy
import torch

from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoCharacterMapper


def token_key(token: str, max_characters: int) -> bytes:
    """
    What identifies a token to the char CNN: its UTF-8 bytes as the CNN sees them (truncated to
    `max_characters - 2`), or the sentence-boundary character of `<S>`/`</S>`, as 16-bit codes.
    """
    if token == BioElmoCharacterMapper.bos_token:
        codes = [BioElmoCharacterMapper.beginning_of_sentence_character]
    elif token == BioElmoCharacterMapper.eos_token:
        codes = [BioElmoCharacterMapper.end_of_sentence_character]
    else:
        codes = list(token.encode("utf-8", "ignore")[: max_characters - 2])
    return array("H", codes).tobytes()


def row_key(row: numpy.ndarray) -> bytes:
    """`token_key` of one row of character ids (ids are the mapper's codes plus one)."""
    end = int(numpy.argmax(row == BioElmoCharacterMapper.end_of_word_character + 1))
    return (row[1:end] - 1).astype(numpy.uint16).tobytes()


class TokenVectorCache:
    """
    Char-CNN vectors of the tokens of `tokens`, each computed on its first use and kept while it
    is among the `max_size` most recently used; other tokens are always computed. Vectors are
    stored on the device and in the dtype the char CNN produced them in; moving the biLM clears
    the cache. Finding a batch's tokens in it reads their character ids on the host.

    # Parameters

    tokens : `Iterable[str]`
        The tokens worth keeping (a vocabulary file's).
    max_characters : `int`
        The biLM's `max_characters_per_token`.
    max_size : `int`
        Most tokens kept at once (each holds one char-CNN vector).
    """

    def __init__(self, tokens: Iterable[str], max_characters: int, max_size: int) -> None:
        if max_size < 1:
            raise ValueError(f"the cache must hold at least one token, got max_size={max_size}")
        self.max_size = max_size
        self._eligible: Set[bytes] = {token_key(token, max_characters) for token in tokens}
        self._slots: "OrderedDict[bytes, int]" = OrderedDict()
        self._storage: Optional[torch.Tensor] = None
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._slots)

    def clear(self) -> None:
        """Forget every vector (new weights make them stale)."""
        self._slots.clear()
        self._storage = None

    def encode(
        self,
        unique_ids: torch.Tensor,
        encoder: Callable[[torch.Tensor], torch.Tensor],
        dtype: torch.dtype,
    ) -> torch.Tensor:
        """
        Vectors `(tokens, dim)` of distinct tokens given as character ids `(tokens, max_chars)`:
        kept ones from the cache, the others from `encoder` (the char CNN on such ids, producing
        `dtype`).
        """
        storage = self._storage
        if storage is not None and (storage.device != unique_ids.device or storage.dtype != dtype):
            self.clear()  # the biLM moved or changed dtype: the kept vectors are stale
        keys = [row_key(row) for row in unique_ids.cpu().numpy()]
        found = [self._slots.get(key) for key in keys]
        missing = [i for i, slot in enumerate(found) if slot is None]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if len(missing) == len(keys):
            vectors = encoder(unique_ids)
        else:
            kept = [i for i, slot in enumerate(found) if slot is not None]
            for i in kept:
                self._slots.move_to_end(keys[i])
            device, storage = unique_ids.device, self._storage
            vectors = storage.new_empty((len(keys), storage.shape[1]))
            vectors[torch.tensor(kept, device=device)] = storage.index_select(
                0, torch.tensor([found[i] for i in kept], device=device)
            )
            if not missing:
                return vectors
            vectors[torch.tensor(missing, device=device)] = encoder(
                unique_ids.index_select(0, torch.tensor(missing, device=device))
            )
        self._keep(keys, missing, vectors)
        return vectors

    def _keep(self, keys, missing, vectors: torch.Tensor) -> None:
        # at most max_size of them, so no slot is taken twice within one batch
        new = [i for i in missing if keys[i] in self._eligible][-self.max_size :]
        if not new:
            return
        if self._storage is None:
            self._storage = vectors.new_empty((min(self.max_size, 1024), vectors.shape[1]))
        slots = []
        for i in new:
            if len(self._slots) < self._storage.shape[0]:
                slot = len(self._slots)
            elif self._storage.shape[0] < self.max_size:  # grow by doubling, up to max_size
                grown = min(self.max_size, 2 * self._storage.shape[0])
                extra = self._storage.new_empty(
                    (grown - self._storage.shape[0],) + vectors.shape[1:]
                )
                self._storage = torch.cat([self._storage, extra])
                slot = len(self._slots)
            else:  # full: reuse the least recently used token's slot
                _, slot = self._slots.popitem(last=False)
            self._slots[keys[i]] = slot
            slots.append(slot)
        index = torch.tensor(new, device=vectors.device)
        self._storage[torch.tensor(slots, device=vectors.device)] = vectors.index_select(0, index)
