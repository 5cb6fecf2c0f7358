"""
The `bioelmo_cached` token embedder: `bioelmo` with the frozen biLM layers read from a
`bioelmo-embed` file instead of recomputed every epoch.
"""

import logging
from typing import Dict, List, Optional, Tuple

import numpy
import torch
from allennlp.common.checks import ConfigurationError
from allennlp.modules.token_embedders.token_embedder import TokenEmbedder

from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoCharacterMapper
from allennlp_bioelmo.file_formats.embedding_file import EmbeddingFile
from allennlp_bioelmo.modules.bilm import add_sentence_boundaries
from allennlp_bioelmo.modules.token_embedders.bioelmo_token_embedder import BioElmoTokenEmbedder

logger = logging.getLogger(__name__)


@TokenEmbedder.register("bioelmo_cached")
class BioElmoCachedTokenEmbedder(BioElmoTokenEmbedder):
    """
    The `bioelmo` embedder serving frozen biLM layers from an HDF5 file written by
    `allennlp bioelmo-embed --layers all`, looked up by the exact token sequence of each sentence;
    sentences not in the file are computed by the biLM (and, with `append_to_cache`, added to it
    and to a memory cache). With a frozen biLM every epoch would recompute identical vectors: the
    file computes them once. The layer mix, dropout and projection are trained as usual, so
    training gives the same losses as `bioelmo` (stateless, without layer norm).

    Registered as a `TokenEmbedder` with name "bioelmo_cached".

    # Parameters

    options_file : `str`
        As `bioelmo`.
    weight_file : `str`, optional (default = `None`)
        As `bioelmo`; used for sentences missing from the cache.
    cache_file : `str`, optional (default = `None`)
        The HDF5 file. `None` (as when a trained model is loaded from its archive) computes
        every sentence.
    append_to_cache : `bool`, optional (default = `False`)
        Write computed sentences into `cache_file` (single-process use only: HDF5 files take one
        writer).
    **kwargs
        Every other `bioelmo` parameter, except `requires_grad`, `stateful` and `do_layer_norm`,
        which a cache of frozen, per-sentence vectors cannot honour.
    """

    def __init__(
        self,
        options_file: str,
        weight_file: Optional[str] = None,
        cache_file: Optional[str] = None,
        append_to_cache: bool = False,
        **kwargs,
    ) -> None:
        for name in ("requires_grad", "stateful", "do_layer_norm"):
            if kwargs.get(name):
                raise ConfigurationError(
                    f"bioelmo_cached cannot use {name}: cached vectors are frozen and per sentence"
                )
        super().__init__(options_file, weight_file, **kwargs)
        self._cache: Optional[EmbeddingFile] = None
        self._mapper = BioElmoCharacterMapper(
            max_characters=self.bilm.options.max_characters_per_token
        )
        if cache_file:
            self._cache = EmbeddingFile(
                cache_file, writable=append_to_cache, normalize_token=self._seen_token
            )
            if self._cache.layers != "all":
                raise ConfigurationError(
                    f"{cache_file} holds '{self._cache.layers}' vectors; bioelmo_cached needs "
                    "every layer (bioelmo-embed --layers all)"
                )
            logger.info("BioELMo vectors cached in %s (%d sentences)", cache_file, len(self._cache))
        self._append = append_to_cache
        # character-id fingerprint -> dataset in the file
        self._known: Dict[bytes, Optional[str]] = {}
        self._memory: Dict[bytes, numpy.ndarray] = {}  # vectors computed here, with append_to_cache
        self.hits = self.misses = 0

    def _seen_token(self, token: str) -> str:
        """
        A token as the biLM sees it, and as `char_ids_to_word` recovers it: at most
        `max_characters - 2` UTF-8 bytes.
        """
        return token.encode("utf-8", "ignore")[: self._mapper.max_characters - 2].decode(
            "utf-8", "replace"
        )

    def bilm_activations(
        self, character_ids: torch.Tensor, word_inputs: Optional[torch.Tensor]
    ) -> Tuple[List[torch.Tensor], torch.Tensor]:
        """
        The biLM layers of every sentence, from the file where it has them, computed otherwise.
        """
        token_mask = (character_ids > 0).any(dim=-1)
        batch_size, timesteps = token_mask.shape
        lengths = token_mask.sum(dim=1)
        _, mask = add_sentence_boundaries(token_mask, token_mask, True, True)
        # Same layout as the biLM's output: <S> at 0, tokens at 1..length; the boundary positions
        # stay zero, which is harmless because they are dropped after the (position-wise) mix.
        layers = torch.zeros(
            (self.bilm.num_output_layers, batch_size, timesteps + 2, self.bilm.get_output_dim()),
            device=character_ids.device,
        )
        # Sentences are recognised by their character ids: a sentence seen before costs one
        # dictionary look-up; a new one is decoded to tokens once and looked up in the file.
        id_rows = character_ids.cpu().numpy()
        missing, fingerprints = [], []
        for row, length in enumerate(lengths.tolist()):
            fingerprint = id_rows[row, :length].tobytes()
            fingerprints.append(fingerprint)
            if fingerprint not in self._known:
                tokens = [
                    self._mapper.char_ids_to_word(ids) for ids in id_rows[row, :length].tolist()
                ]
                self._known[fingerprint] = (
                    self._cache.key_of(tokens) if self._cache is not None else None
                )
            key = self._known[fingerprint]
            vectors = self._memory.get(fingerprint) if key is None else self._cache.read(key)
            if vectors is None:
                missing.append(row)
            else:
                layers[:, row, 1 : length + 1] = torch.from_numpy(
                    numpy.asarray(vectors, dtype=numpy.float32)
                )
        self.hits += batch_size - len(missing)
        self.misses += len(missing)
        if missing:
            with torch.no_grad():
                computed, _ = self.bioelmo.bilm_activations(character_ids[missing], None)
            computed = torch.stack(computed)  # once, not once per missing sentence
            for position, row in enumerate(missing):
                length = int(lengths[row])
                layers[:, row, 1 : length + 1] = computed[:, position, 1 : length + 1]
                if self._append:
                    self._remember(
                        fingerprints[row], id_rows[row, :length], layers[:, row, 1 : length + 1]
                    )
            if self._append and self._cache is not None:
                self._cache.flush()
        return list(layers), mask

    def _remember(self, fingerprint: bytes, id_rows: numpy.ndarray, vectors: torch.Tensor) -> None:
        """Keep computed vectors in memory and, with a cache file, append them to it."""
        array = vectors.cpu().numpy()
        self._memory[fingerprint] = array
        if self._cache is not None:
            tokens = [self._mapper.char_ids_to_word(ids) for ids in id_rows.tolist()]
            self._cache.add(" ".join(tokens), array)
