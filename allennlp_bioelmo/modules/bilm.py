"""
`BiLm`: BioELMo's bidirectional language model without its softmax, i.e. what produces the
contextual layers that a token embedder mixes.
"""

import logging
from typing import Dict, List, Optional, Tuple

import torch
from torch.profiler import record_function

from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.data.token_indexers.bioelmo_indexer import BioElmoCharacterMapper
from allennlp_bioelmo.file_formats.bilm_weights import load_bilm_tf_weights
from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.modules.character_encoder import CharacterEncoder
from allennlp_bioelmo.modules.projected_bilstm import ProjectedBiLstm
from allennlp_bioelmo.modules.token_vector_cache import TokenVectorCache

logger = logging.getLogger(__name__)

State = Tuple[torch.Tensor, torch.Tensor]


def add_sentence_boundaries(
    ids: torch.Tensor, mask: torch.Tensor, bos: torch.Tensor, eos: torch.Tensor
) -> Tuple[torch.Tensor, torch.Tensor]:
    """
    Put `bos` before and `eos` after the real tokens of every row: `(batch, timesteps, ...)` ->
    `(batch, timesteps + 2, ...)`. An empty row becomes `<S> </S>`.
    """
    batch_size, timesteps = mask.shape
    lengths = mask.sum(dim=1)
    with_boundaries = ids.new_zeros((batch_size, timesteps + 2) + tuple(ids.shape[2:]))
    with_boundaries[:, 1:-1] = ids
    with_boundaries[:, 0] = bos
    with_boundaries[torch.arange(batch_size, device=ids.device), lengths + 1] = eos
    new_mask = torch.zeros(batch_size, timesteps + 2, dtype=torch.bool, device=ids.device)
    new_mask[:, 1:-1] = mask
    new_mask[:, 0] = True
    new_mask[torch.arange(batch_size, device=ids.device), lengths + 1] = True
    return with_boundaries, new_mask


class BiLm(torch.nn.Module):
    """
    Character ids `(batch, timesteps, max_characters)` -> `num_output_layers` (LSTM layers + 1)
    activations, each `(batch, timesteps + 2, 2 * projection_dim)` with `<S>` and `</S>` positions
    included; layer 0 is the char-CNN token vector repeated twice (so all layers have one width),
    layer `l` the concatenated forward and backward outputs of LSTM layer `l`. Padded positions
    are zero.

    State handling (what the LSTMs start from for each sentence):

    * stateless (default): zeros, so a sentence gets the same vectors in every batch;
    * `stateful=True`: the final states of batch row `i` start row `i` of the next batch, as in
      bilm-tf and AllenNLP's ELMo (`reset_states()` clears them);
    * `set_warm_start_state(...)`: one fixed state used for every sentence, typically
      `warm_start_state(tokens)`, the state after reading some text (see `BioElmo`'s
      `warm_start_text`).

    Build it with `BiLm.from_files(options_file, weight_file)`; with `weight_file=None` the weights
    are random (for training from scratch, or before a state dict is loaded).

    # Parameters

    options : `BiLmOptions`
        The network shape.
    stateful : `bool`, optional (default = `False`)
        Carry LSTM states across batches.
    """

    def __init__(self, options: BiLmOptions, stateful: bool = False) -> None:
        super().__init__()
        self.options = options
        self.stateful = stateful
        self.character_encoder = CharacterEncoder(options)
        self.lstm = ProjectedBiLstm(
            input_size=options.projection_dim,
            cell_size=options.lstm_dim,
            projection_size=options.projection_dim,
            num_layers=options.n_layers,
            cell_clip=options.cell_clip,
            proj_clip=options.proj_clip,
            use_skip_connections=options.use_skip_connections,
        )
        mapper = BioElmoCharacterMapper(max_characters=options.max_characters_per_token)
        self.register_buffer("_boundary_char_ids", mapper.boundary_char_ids(), persistent=False)
        self._states: Optional[State] = None
        self._warm_start_state: Optional[State] = None
        self._word_vectors: Optional[torch.Tensor] = None
        self._token_cache: Optional[TokenVectorCache] = None

    @classmethod
    def from_files(
        cls, options_file: str, weight_file: Optional[str], stateful: bool = False
    ) -> "BiLm":
        """
        A biLM of an options file, with the weights of a bilm-tf HDF5 file (random without one).
        """
        options = BiLmOptions.from_file(options_file)
        bilm = cls(options, stateful=stateful)
        if weight_file:
            state = load_bilm_tf_weights(weight_file, options)
            bilm.load_state_dict(state, strict=True)
        return bilm

    def get_output_dim(self) -> int:
        return self.options.output_dim

    @property
    def num_output_layers(self) -> int:
        return self.options.num_output_layers

    # ---- states -------------------------------------------------------------------------------

    def reset_states(self) -> None:
        self._states = None

    def set_warm_start_state(self, state: Optional[State]) -> None:
        """`state` = `(hidden (layers, 2 * projection), memory (layers, 2 * cell))`, or None."""
        self._warm_start_state = state

    def warm_start_state(self, tokens: List[str]) -> State:
        """
        The LSTM states after reading `tokens` (as one sentence, from zero states), in the form
        `set_warm_start_state` takes. Stored stateful states are left untouched.
        """
        device = self._boundary_char_ids.device
        ids = batch_to_ids([tokens], self.options.max_characters_per_token, device)
        with torch.no_grad():
            like = self.lstm.layers[0][0].bias
            _, _, (hidden, memory) = self._run(
                ids, None, self.lstm.zero_state(1, like), final_states=True
            )
        return hidden[:, 0], memory[:, 0]

    def _initial_states(self, batch_size: int, like: torch.Tensor) -> State:
        if self._warm_start_state is not None:
            hidden, memory = self._warm_start_state
            return (
                hidden.to(like).unsqueeze(1).expand(-1, batch_size, -1).contiguous(),
                memory.to(like).unsqueeze(1).expand(-1, batch_size, -1).contiguous(),
            )
        zeros = self.lstm.zero_state(batch_size, like)
        if not self.stateful or self._states is None:
            return zeros
        # Like AllenNLP's stateful encoders: the first `batch_size` stored rows; rows the
        # previous batches never had start from zeros.
        stored = self._states
        rows = min(batch_size, stored[0].shape[1])
        return tuple(  # type: ignore[return-value]
            torch.cat([old[:, :rows].to(like), zero[:, rows:]], dim=1)
            for old, zero in zip(stored, zeros)
        )

    def _remember_states(self, final: State) -> None:
        final = (final[0].detach(), final[1].detach())
        if self._states is None or self._states[0].shape[1] <= final[0].shape[1]:
            self._states = final
        else:  # a smaller batch updates only its rows; later rows keep their older states
            rows = final[0].shape[1]
            self._states = tuple(  # type: ignore[assignment]
                torch.cat([new, old[:, rows:].to(new)], dim=1)
                for new, old in zip(final, self._states)
            )

    # ---- word-level cache ---------------------------------------------------------------------

    def cache_word_vectors(self, tokens: List[str], batch_size: int = 1024) -> None:
        """
        Precompute the char-CNN output for `tokens` (index 0 is padding), so `forward` can take
        word ids instead of character ids. Vectors for `<S>` and `</S>` are appended.
        """
        mapper = BioElmoCharacterMapper(max_characters=self.options.max_characters_per_token)
        words = list(tokens) + [mapper.bos_token, mapper.eos_token]
        device = self._boundary_char_ids.device
        vectors = []
        with torch.no_grad():
            for start in range(0, len(words), batch_size):
                ids = batch_to_ids(
                    [words[start : start + batch_size]], mapper.max_characters, device
                )
                vectors.append(self.character_encoder(ids).squeeze(0))
        self._word_vectors = torch.cat(vectors, dim=0)
        self._word_vectors[0] = 0.0

    def use_token_cache(self, cache: Optional[TokenVectorCache]) -> None:
        """
        Take char-CNN vectors from `cache` (filled on first use) where it has them; None stops.
        Only for a frozen biLM: cached vectors carry no gradient.
        """
        self._token_cache = cache

    @property
    def token_cache(self) -> Optional[TokenVectorCache]:
        return self._token_cache

    # ---- forward ------------------------------------------------------------------------------

    def _encode_unique_tokens(self, packed_ids: torch.Tensor) -> torch.Tensor:
        """
        Char CNN for `(tokens, max_characters)` ids, run once per distinct token of the batch
        (a batch of running text repeats many tokens: "the", "of", punctuation, <S>, </S>), and
        only for tokens the token cache (if any) does not hold.
        """
        unique_ids, inverse = torch.unique(packed_ids, dim=0, return_inverse=True)

        def encode(ids: torch.Tensor) -> torch.Tensor:
            return self.character_encoder(ids.unsqueeze(0)).squeeze(0)

        if self._token_cache is None:
            vectors = encode(unique_ids)
        else:
            dtype = self.character_encoder.char_embedding.weight.dtype
            vectors = self._token_cache.encode(unique_ids, encode, dtype)
        return vectors.index_select(0, inverse)

    def forward(
        self, character_ids: torch.Tensor, word_ids: Optional[torch.Tensor] = None
    ) -> Dict[str, object]:
        """
        `character_ids`: `(batch, timesteps, max_characters)`; `word_ids` (optional, needs
        `cache_word_vectors`): `(batch, timesteps)` indices into the cached vocabulary, used instead
        of the character ids. Returns `{"activations": [...], "mask": (batch, timesteps + 2)}`.
        """
        remember = self.stateful and self._warm_start_state is None
        activations, mask, final = self._run(character_ids, word_ids, final_states=remember)
        if remember:
            self._remember_states(final)
        return {"activations": activations, "mask": mask}

    def _run(
        self,
        character_ids: torch.Tensor,
        word_ids: Optional[torch.Tensor] = None,
        initial: Optional[State] = None,
        final_states: bool = False,
    ) -> Tuple[List[torch.Tensor], torch.Tensor, Optional[State]]:
        """
        Activations, mask and (with `final_states`, else None) the final states in batch order,
        starting from `initial` or the state mode's states.
        """
        if word_ids is not None and self._word_vectors is not None:
            vocab_size = self._word_vectors.shape[0] - 2
            mask = word_ids > 0
            ids, mask = add_sentence_boundaries(word_ids, mask, vocab_size, vocab_size + 1)
            lookup = self._word_vectors.to(self.lstm.layers[0][0].bias)
            embed = lambda packed_ids: lookup[packed_ids]  # noqa: E731
        else:
            mask = (character_ids > 0).any(dim=-1)
            ids, mask = add_sentence_boundaries(
                character_ids, mask, self._boundary_char_ids[0], self._boundary_char_ids[1]
            )
            embed = self._encode_unique_tokens

        batch_size, timesteps = mask.shape
        lengths = mask.sum(dim=1)
        # Longest first, so the rows active at any step are a prefix (packed layout).
        sorted_lengths, order = torch.sort(lengths, descending=True, stable=True)
        sorted_mask = mask.index_select(0, order)
        time_major_mask = sorted_mask.t()
        packed_ids = ids.index_select(0, order).transpose(0, 1)[time_major_mask]
        batch_sizes = time_major_mask.sum(dim=1).tolist()

        # The labels name the stages in `torch.profiler` traces (benchmarks/bilm_throughput.py
        # --profile); they cost nothing measurable when no profiler runs.
        with record_function("BiLm.token_vectors"):
            token_vectors = embed(packed_ids)
        if initial is None:
            initial = self._initial_states(batch_size, token_vectors)
        sorted_initial = (initial[0].index_select(1, order), initial[1].index_select(1, order))
        with record_function("BiLm.lstm"):
            layer_outputs, final = self.lstm(token_vectors, batch_sizes, sorted_initial)
        if final_states:  # only stateful runs and warm starts need them, in batch order
            restore = torch.empty_like(order)
            restore[order] = torch.arange(batch_size, device=order.device)
            final = (final[0].index_select(1, restore), final[1].index_select(1, restore))
        else:
            final = None

        activations = []
        width = self.options.output_dim
        with record_function("BiLm.unpack"):
            for packed in [torch.cat([token_vectors, token_vectors], dim=-1)] + layer_outputs:
                padded = packed.new_zeros(timesteps, batch_size, width)
                padded = padded.index_put((time_major_mask,), packed)
                unsorted = packed.new_zeros(batch_size, timesteps, width)
                activations.append(unsorted.index_copy(0, order, padded.transpose(0, 1)))
        return activations, mask, final
