"""
`BioElmo`: the counterpart of AllenNLP's `Elmo` module. It owns a `BiLm`, the layer mix, the state
mode (stateless, stateful or warm start), the char-CNN caches and the inference dtype,
and turns character ids into one vector per token. The `bioelmo` and `bioelmo_cached` token
embedders are thin wrappers around it.
"""

import logging
from typing import Dict, List, Optional, Tuple

import numpy
import torch
from allennlp.common import FromParams
from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.common.config_variables import log_bilm_files
from allennlp_bioelmo.common.cpu_features import native_bfloat16_flags
from allennlp_bioelmo.data.bilm_inputs import read_vocabulary_file
from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoCharacterMapper
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.modules.layer_mix import BiLmLayerMix
from allennlp_bioelmo.modules.token_vector_cache import TokenVectorCache

logger = logging.getLogger(__name__)

# A few sentences of ordinary PubMed prose: the default warm-up text for `warm_start`.
DEFAULT_WARM_START_TEXT = (
    "Background : The aim of this study was to evaluate the efficacy and safety of the treatment "
    "in patients with advanced disease . Methods : We performed a randomized controlled trial . "
    "Results : Expression of the protein was significantly increased in tumor cells ( P < 0.05 ) ."
)

INFERENCE_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


def choose_inference_dtype(requires_grad: bool) -> str:
    """`inference_dtype="auto"`: bfloat16 for a frozen biLM on a CPU with native bfloat16."""
    native = sorted(native_bfloat16_flags())
    if requires_grad or not native:
        reason = "the biLM is fine-tuned" if requires_grad else "this CPU has no AMX/AVX512-BF16"
        logger.info("BioELMo inference in float32 (%s)", reason)
        return "float32"
    logger.info(
        "BioELMo inference in bfloat16: this CPU computes it natively (%s)", ", ".join(native)
    )
    return "bfloat16"


def token_mask(mask_with_boundaries: torch.Tensor) -> torch.Tensor:
    """
    `(batch, timesteps + 2)` mask with `<S>`/`</S>` -> `(batch, timesteps)` mask of the tokens.
    """
    lengths = mask_with_boundaries.sum(dim=1) - 2
    positions = torch.arange(mask_with_boundaries.shape[1] - 2, device=mask_with_boundaries.device)
    return positions.unsqueeze(0) < lengths.unsqueeze(1)


class BioElmo(torch.nn.Module, FromParams):
    """
    Character ids `(batch, timesteps, max_characters)` -> BioELMo vectors
    `(batch, timesteps, get_output_dim())`, computed by our own `BiLm` and mixed over its layers.

    # Parameters

    options_file : `str`
        The biLM `options` JSON (the BioELMo release's, or bilm-tf's training options).
    weight_file : `str`, optional (default = `None`)
        The bilm-tf `weights` HDF5 file. `None` leaves the biLM randomly initialised, which is
        what happens when a model is loaded from an archive: its weights come from the archive.
    layer_mix : `str`, optional (default = `"scalar_mix"`)
        `"scalar_mix"` (AllenNLP's), `"paper"` (the BioELMo paper's: softmax weights, no scale, no
        layer norm), `"top"`, `"average"` or `"concat"`; see `BiLmLayerMix`.
    layers : `List[int]`, optional (default = all)
        Layers for `"average"` and `"concat"` (0 = char-CNN layer).
    do_layer_norm : `bool`, optional (default = `False`)
        Layer norm inside the `"scalar_mix"` layer mix.
    scalar_mix_parameters : `List[float]`, optional (default = `None`)
        Fixed pre-softmax layer weights for `"scalar_mix"`.
    dropout : `float`, optional (default = `0.5`)
        Dropout on the mixed representation.
    requires_grad : `bool`, optional (default = `False`)
        Fine-tune the biLM's weights (otherwise they are frozen).
    stateful : `bool`, optional (default = `False`)
        Carry LSTM states from one batch to the next, like bilm-tf and AllenNLP's ELMo. Off by
        default so a sentence's vectors do not depend on what came before it.
    warm_start : `bool`, optional (default = `False`)
        Start every sentence from the LSTM states the biLM has after reading `warm_start_text`:
        deterministic like zero states, but closer to the states the model saw in training.
    warm_start_text : `str`, optional (default = a few sentences of PubMed-style prose)
        Whitespace-tokenized warm-up text for `warm_start`.
    vocab_to_cache : `List[str]`, optional (default = `None`)
        Tokens whose char-CNN vectors are precomputed; `forward` may then take `word_inputs`
        (indices into this list, 0 = padding) as AllenNLP's ELMo does. Needs a frozen biLM.
    vocab_file : `str`, optional (default = `None`)
        A vocabulary file (the released format, one token per line) whose tokens' char-CNN vectors
        are kept once computed, up to `vocab_cache_size` tokens (the most recently used), so
        frequent words skip the char CNN; nothing is computed in advance. Needs a frozen biLM.
    vocab_cache_size : `int`, optional (default = `100000`)
        Most `vocab_file` tokens kept at once: 100,000 hold 205 MB of vectors for the released
        BioELMo's 512-d char CNN, 51 MB for BioELMo-small's 128-d one.
    inference_dtype : `str`, optional (default = `"float32"`)
        `"bfloat16"` runs the frozen biLM in bfloat16 (faster on CPUs with AMX/AVX512-BF16, about
        1e-2 from float32); `"auto"` chooses bfloat16 where this CPU computes it natively (AMX or
        AVX512-BF16, read at run time) and float32 elsewhere, and logs the choice. Outputs are
        float32 either way. Needs a frozen biLM (`"auto"` gives float32 to a fine-tuned one).
        float32 is the default because bfloat16 features cost 1.8 points of test F1 on
        NCBI-disease NER with BioELMo-small (README, "The biLM").
    """

    def __init__(
        self,
        options_file: str,
        weight_file: Optional[str] = None,
        layer_mix: str = "scalar_mix",
        layers: Optional[List[int]] = None,
        do_layer_norm: bool = False,
        scalar_mix_parameters: Optional[List[float]] = None,
        dropout: float = 0.5,
        requires_grad: bool = False,
        stateful: bool = False,
        warm_start: bool = False,
        warm_start_text: str = DEFAULT_WARM_START_TEXT,
        vocab_to_cache: Optional[List[str]] = None,
        vocab_file: Optional[str] = None,
        vocab_cache_size: int = 100_000,
        inference_dtype: str = "float32",
    ) -> None:
        super().__init__()
        if inference_dtype not in INFERENCE_DTYPES and inference_dtype != "auto":
            raise ConfigurationError(
                f"inference_dtype must be one of {sorted(INFERENCE_DTYPES) + ['auto']}, got "
                f"{inference_dtype!r}"
            )
        if inference_dtype == "auto":
            inference_dtype = choose_inference_dtype(requires_grad)
        if requires_grad and (vocab_to_cache or vocab_file or inference_dtype != "float32"):
            raise ConfigurationError(
                "vocab_to_cache, vocab_file and inference_dtype need a frozen biLM (requires_grad "
                "false)"
            )
        if stateful and warm_start:
            raise ConfigurationError("choose stateful or warm_start, not both")
        if vocab_to_cache and vocab_file:
            raise ConfigurationError("give vocab_to_cache or vocab_file, not both")
        self._warm_start_tokens = warm_start_text.split() if warm_start else None
        if warm_start and not self._warm_start_tokens:
            raise ConfigurationError("warm_start_text is empty")

        log_bilm_files(options_file, weight_file)
        self._bilm = BiLm.from_files(options_file, weight_file, stateful=stateful)
        for parameter in self._bilm.parameters():
            parameter.requires_grad_(requires_grad)
        self._requires_grad = requires_grad
        self._bilm.to(INFERENCE_DTYPES[inference_dtype])

        self._mix = BiLmLayerMix(
            self._bilm.num_output_layers,
            self._bilm.get_output_dim(),
            mode=layer_mix,
            layers=layers,
            do_layer_norm=do_layer_norm,
            scalar_mix_parameters=scalar_mix_parameters,
        )
        self._dropout = torch.nn.Dropout(dropout)

        self._cached_tokens = list(vocab_to_cache) if vocab_to_cache else None
        if vocab_file:
            self._bilm.use_token_cache(
                TokenVectorCache(
                    read_vocabulary_file(vocab_file),
                    self._bilm.options.max_characters_per_token,
                    vocab_cache_size,
                )
            )
        self._word_cache_index: Optional[Dict[bytes, int]] = None
        self._word_cache_ready = False
        self._warm_state_ready = False

    @property
    def bilm(self) -> BiLm:
        return self._bilm

    def get_output_dim(self) -> int:
        return self._mix.get_output_dim()

    def reset_states(self) -> None:
        """Forget the states carried over from earlier batches (`stateful`)."""
        self._bilm.reset_states()

    def _load_from_state_dict(self, *args, **kwargs):
        # New weights invalidate everything computed from the old ones.
        self._word_cache_ready = False
        self._warm_state_ready = False
        if self._bilm.token_cache is not None:
            self._bilm.token_cache.clear()
        return super()._load_from_state_dict(*args, **kwargs)

    # ---- states and caches derived from the weights -------------------------------------------

    def _prepare(self) -> None:
        # A biLM being fine-tuned changes at every step, so its warm-start state does too.
        stale = self.training and self._requires_grad
        if self._warm_start_tokens is not None and (stale or not self._warm_state_ready):
            self._bilm.set_warm_start_state(self._bilm.warm_start_state(self._warm_start_tokens))
            self._warm_state_ready = True
        if self._cached_tokens is not None and not self._word_cache_ready:
            logger.info(
                "Precomputing char-CNN vectors for %d cached tokens", len(self._cached_tokens)
            )
            self._bilm.cache_word_vectors(self._cached_tokens)
            mapper = BioElmoCharacterMapper(
                max_characters=self._bilm.options.max_characters_per_token
            )
            self._word_cache_index = {
                numpy.asarray(
                    mapper.convert_word_to_char_ids(token), dtype=numpy.int64
                ).tobytes(): index
                for index, token in enumerate(self._cached_tokens)
                if index > 0
            }
            self._word_cache_ready = True

    def word_ids(self, character_ids: torch.Tensor) -> Optional[torch.Tensor]:
        """
        Indices into the cached vocabulary (`vocab_to_cache`) for every token of
        `(batch, timesteps, max_characters)` ids, or None if any token is not cached.
        """
        self._prepare()
        if self._word_cache_index is None:
            return None
        rows = character_ids.reshape(-1, character_ids.shape[-1]).cpu().numpy().astype(numpy.int64)
        padding = numpy.zeros(rows.shape[1], dtype=numpy.int64).tobytes()
        ids = []
        for row in rows:
            key = row.tobytes()
            found = 0 if key == padding else self._word_cache_index.get(key)
            if found is None:
                return None
            ids.append(found)
        return torch.tensor(ids, device=character_ids.device).view(character_ids.shape[:-1])

    # ---- forward ------------------------------------------------------------------------------

    def bilm_activations(
        self, character_ids: torch.Tensor, word_inputs: Optional[torch.Tensor] = None
    ) -> Tuple[List[torch.Tensor], torch.Tensor]:
        """
        The biLM's layers in float32, each `(batch, timesteps + 2, bilm dim)` with the `<S>` and
        `</S>` positions, and their mask, under this module's state mode and caches.
        """
        self._prepare()
        if self._cached_tokens is not None and word_inputs is None:
            word_inputs = self.word_ids(character_ids)
        output = self._bilm(character_ids, word_inputs)
        return [layer.float() for layer in output["activations"]], output["mask"]

    def combine(self, activations: List[torch.Tensor], mask: torch.Tensor) -> torch.Tensor:
        """
        Mix biLM layers with sentence boundaries (`bilm_activations`' form), drop the boundary
        positions, zero the padding and apply dropout: `(batch, timesteps, get_output_dim())`.
        """
        # the mix sees <S> and </S> (as in AllenNLP's ELMo, where layer norm counts them)
        mixed = self._mix(activations, mask)
        return self._dropout(mixed[:, 1:-1] * token_mask(mask).unsqueeze(-1))

    def forward(
        self, character_ids: torch.Tensor, word_inputs: Optional[torch.Tensor] = None
    ) -> Dict[str, torch.Tensor]:
        """
        # Returns

        `{"representation": (batch, timesteps, get_output_dim()), "mask": (batch, timesteps)}`,
        the token vectors and which of them are real tokens.
        """
        activations, mask = self.bilm_activations(character_ids, word_inputs)
        return {"representation": self.combine(activations, mask), "mask": token_mask(mask)}
