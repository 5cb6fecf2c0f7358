import logging
from typing import Dict, List, Optional

import numpy
import torch
from allennlp.common.checks import ConfigurationError
from allennlp.modules.token_embedders.token_embedder import TokenEmbedder

from allennlp_bioelmo.common.config_variables import is_bundled_fixture
from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoCharacterMapper
from allennlp_bioelmo.modules.bilm import BiLm, State
from allennlp_bioelmo.modules.layer_mix import BiLmLayerMix

logger = logging.getLogger(__name__)

# A few sentences of ordinary PubMed prose: the default warm-up text for `warm_start`.
DEFAULT_WARM_START_TEXT = (
    "Background : The aim of this study was to evaluate the efficacy and safety of the treatment "
    "in patients with advanced disease . Methods : We performed a randomized controlled trial . "
    "Results : Expression of the protein was significantly increased in tumor cells ( P < 0.05 ) ."
)

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


def read_vocabulary_file(vocab_file: str) -> List[str]:
    """The released vocabulary format: one token per line (`<S>`, `</S>`, `<UNK>` among them)."""
    try:
        with open(vocab_file, "r", encoding="utf-8") as handle:
            return [line.rstrip("\n").rstrip("\r") for line in handle if line.strip()]
    except FileNotFoundError:
        raise ConfigurationError(f"BioELMo vocabulary file not found: {vocab_file}")
    except UnicodeDecodeError as error:
        raise ConfigurationError(f"BioELMo vocabulary file {vocab_file} is not UTF-8: {error}")


@TokenEmbedder.register("bioelmo")
class BioElmoTokenEmbedder(TokenEmbedder):
    """
    BioELMo vectors for `bioelmo_characters` (or AllenNLP `elmo_characters`) indexed tokens: a
    drop-in replacement for AllenNLP's `elmo_token_embedder` (same parameter names where they
    overlap, same `forward` signature), computed by our own `BiLm`.

    Registered as a `TokenEmbedder` with name "bioelmo".

    # Parameters

    options_file : `str`
        The biLM `options` JSON (the BioELMo release's, or bilm-tf's training options).
    weight_file : `str`, optional (default = `None`)
        The bilm-tf `weights` HDF5 file. `None` leaves the biLM randomly initialised, which is
        what happens when a model is loaded from an archive: its weights come from the archive.
    do_layer_norm : `bool`, optional (default = `False`)
        Layer norm inside the `"scalar_mix"` layer mix.
    dropout : `float`, optional (default = `0.5`)
        Dropout on the mixed representation.
    requires_grad : `bool`, optional (default = `False`)
        Fine-tune the biLM's weights (otherwise they are frozen).
    projection_dim : `int`, optional (default = `None`)
        If given, a trained linear layer projects the output to this width.
    vocab_to_cache : `List[str]`, optional (default = `None`)
        Tokens whose char-CNN vectors are precomputed; `forward` may then take `word_inputs`
        (indices into this list, 0 = padding) as AllenNLP's ELMo does. Needs a frozen biLM.
    scalar_mix_parameters : `List[float]`, optional (default = `None`)
        Fixed pre-softmax layer weights for `"scalar_mix"`.
    layer_mix : `str`, optional (default = `"scalar_mix"`)
        `"scalar_mix"` (AllenNLP's), `"paper"` (the BioELMo paper's: softmax weights, no scale, no
        layer norm), `"top"`, `"average"` or `"concat"`; see `BiLmLayerMix`.
    layers : `List[int]`, optional (default = all)
        Layers for `"average"` and `"concat"` (0 = char-CNN layer).
    stateful : `bool`, optional (default = `False`)
        Carry LSTM states from one batch to the next, like bilm-tf and AllenNLP's ELMo. Off by
        default so a sentence's vectors do not depend on what came before it.
    warm_start : `bool`, optional (default = `False`)
        Start every sentence from the LSTM states the biLM has after reading `warm_start_text`:
        deterministic like zero states, but closer to the states the model saw in training.
    warm_start_text : `str`, optional (default = a few sentences of PubMed-style prose)
        Whitespace-tokenized warm-up text for `warm_start`.
    vocab_file : `str`, optional (default = `None`)
        A vocabulary file (the released format, one token per line) whose tokens' char-CNN vectors
        are precomputed on first use; tokens found there skip the char CNN. Needs a frozen biLM.
    inference_dtype : `str`, optional (default = `"float32"`)
        `"bfloat16"` runs the frozen biLM in bfloat16 (faster on CPUs with AMX/AVX512-BF16, about
        1e-2 from float32); outputs are float32 either way. Needs a frozen biLM.
    """

    def __init__(
        self,
        options_file: str,
        weight_file: Optional[str] = None,
        do_layer_norm: bool = False,
        dropout: float = 0.5,
        requires_grad: bool = False,
        projection_dim: Optional[int] = None,
        vocab_to_cache: Optional[List[str]] = None,
        scalar_mix_parameters: Optional[List[float]] = None,
        layer_mix: str = "scalar_mix",
        layers: Optional[List[int]] = None,
        stateful: bool = False,
        warm_start: bool = False,
        warm_start_text: str = DEFAULT_WARM_START_TEXT,
        vocab_file: Optional[str] = None,
        inference_dtype: str = "float32",
    ) -> None:
        super().__init__()
        if inference_dtype not in _DTYPES:
            raise ConfigurationError(f"inference_dtype must be one of {sorted(_DTYPES)}, got {inference_dtype!r}")
        if requires_grad and (vocab_to_cache or vocab_file or inference_dtype != "float32"):
            raise ConfigurationError(
                "vocab_to_cache, vocab_file and inference_dtype need a frozen biLM (requires_grad false)"
            )
        if stateful and warm_start:
            raise ConfigurationError("choose stateful or warm_start, not both")
        files = f"options {options_file}, weights {weight_file or '(from the model archive)'}"
        if any(path and is_bundled_fixture(path) for path in (options_file, weight_file)):
            logger.warning(
                "BioELMo files: %s -- the bundled RANDOM test biLM, not the real BioELMo; set "
                "BIOELMO_OPTIONS and BIOELMO_WEIGHTS to the released files.", files
            )
        else:
            logger.info("BioELMo files: %s", files)
        self._bilm = BiLm.from_files(options_file, weight_file, stateful=stateful)
        for parameter in self._bilm.parameters():
            parameter.requires_grad_(requires_grad)
        self._requires_grad = requires_grad
        self._bilm.to(_DTYPES[inference_dtype])

        self._mix = BiLmLayerMix(
            self._bilm.num_layers,
            self._bilm.get_output_dim(),
            mode=layer_mix,
            layers=layers,
            do_layer_norm=do_layer_norm,
            scalar_mix_parameters=scalar_mix_parameters,
        )
        self._dropout = torch.nn.Dropout(dropout)
        self._projection = (
            torch.nn.Linear(self._mix.get_output_dim(), projection_dim) if projection_dim else None
        )
        self.output_dim = projection_dim or self._mix.get_output_dim()

        self._warm_start_tokens = warm_start_text.split() if warm_start else None
        if warm_start and not self._warm_start_tokens:
            raise ConfigurationError("warm_start_text is empty")
        self._cached_tokens: Optional[List[str]] = None
        if vocab_to_cache and vocab_file:
            raise ConfigurationError("give vocab_to_cache or vocab_file, not both")
        if vocab_to_cache:
            self._cached_tokens = list(vocab_to_cache)
        elif vocab_file:
            self._cached_tokens = ["@@PADDING@@"] + read_vocabulary_file(vocab_file)
        self._word_cache_index: Optional[Dict[bytes, int]] = None
        self._word_cache_ready = False
        self._warm_state_ready = False

    def get_output_dim(self) -> int:
        return self.output_dim

    @property
    def bilm(self) -> BiLm:
        return self._bilm

    def reset_states(self) -> None:
        self._bilm.reset_states()

    def _load_from_state_dict(self, *args, **kwargs):
        # New weights invalidate everything computed from the old ones.
        self._word_cache_ready = False
        self._warm_state_ready = False
        return super()._load_from_state_dict(*args, **kwargs)

    # ---- derived caches -----------------------------------------------------------------------

    def warm_start_state(self) -> State:
        """LSTM states after reading the warm-up text once from zero states."""
        mapper = BioElmoCharacterMapper(max_characters=self._bilm.options.max_characters_per_token)
        ids = torch.tensor(
            [[mapper.convert_word_to_char_ids(token) for token in self._warm_start_tokens]],
            device=self._bilm._boundary_char_ids.device,
        )
        was_stateful = self._bilm.stateful
        self._bilm.set_warm_start_state(None)
        self._bilm.stateful, saved = True, self._bilm._states
        self._bilm.reset_states()
        with torch.no_grad():
            self._bilm(ids)
        hidden, memory = self._bilm._states
        self._bilm.stateful, self._bilm._states = was_stateful, saved
        return hidden[:, 0], memory[:, 0]

    def _prepare(self) -> None:
        stale = self.training and self._requires_grad
        if self._warm_start_tokens is not None and (stale or not self._warm_state_ready):
            self._bilm.set_warm_start_state(self.warm_start_state())
            self._warm_state_ready = True
        if self._cached_tokens is not None and not self._word_cache_ready:
            logger.info("Precomputing char-CNN vectors for %d cached tokens", len(self._cached_tokens))
            self._bilm.cache_word_vectors(self._cached_tokens)
            mapper = BioElmoCharacterMapper(max_characters=self._bilm.options.max_characters_per_token)
            self._word_cache_index = {
                numpy.asarray(mapper.convert_word_to_char_ids(token), dtype=numpy.int64).tobytes(): index
                for index, token in enumerate(self._cached_tokens)
                if index > 0
            }
            self._word_cache_ready = True

    def _word_ids_from_characters(self, character_ids: torch.Tensor) -> Optional[torch.Tensor]:
        """Cached-vocabulary indices for every token if all of them are cached, else None."""
        rows = character_ids.reshape(-1, character_ids.shape[-1]).cpu().numpy().astype(numpy.int64)
        padding = numpy.zeros(rows.shape[1], dtype=numpy.int64).tobytes()
        index = self._word_cache_index
        ids = []
        for row in rows:
            key = row.tobytes()
            if key == padding:
                ids.append(0)
                continue
            found = index.get(key)  # type: ignore[union-attr]
            if found is None:
                return None
            ids.append(found)
        return torch.tensor(ids, device=character_ids.device).view(character_ids.shape[:-1])

    # ---- forward ------------------------------------------------------------------------------

    def forward(self, elmo_tokens: torch.Tensor, word_inputs: Optional[torch.Tensor] = None) -> torch.Tensor:
        """
        `elmo_tokens`: `(batch, timesteps, max_characters)` character ids (more leading dimensions
        are flattened and restored). `word_inputs`: optional `(batch, timesteps)` indices into
        `vocab_to_cache`. Returns `(batch, timesteps, output_dim)`.
        """
        leading_shape = elmo_tokens.shape[:-2]
        character_ids = elmo_tokens.reshape(-1, *elmo_tokens.shape[-2:])
        if word_inputs is not None:
            word_inputs = word_inputs.reshape(-1, word_inputs.shape[-1])
        self._prepare()
        if self._cached_tokens is not None and word_inputs is None:
            word_inputs = self._word_ids_from_characters(character_ids)

        bilm_output = self._bilm(character_ids, word_inputs)
        activations = [layer.float() for layer in bilm_output["activations"]]
        mask = bilm_output["mask"]

        mixed = self._mix(activations, mask)
        # drop the <S> and </S> positions: tokens sit at 1..length, so shift left by one
        lengths = mask.sum(dim=1) - 2
        timesteps = mask.shape[1] - 2
        positions = torch.arange(timesteps, device=mixed.device)
        token_mask = positions.unsqueeze(0) < lengths.unsqueeze(1)
        representation = mixed[:, 1:-1] * token_mask.unsqueeze(-1)
        representation = self._dropout(representation)
        if self._projection is not None:
            representation = self._projection(representation)
        return representation.view(*leading_shape, timesteps, -1)
