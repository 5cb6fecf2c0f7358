"""
The `bioelmo` token embedder: BioELMo vectors in an AllenNLP model, a drop-in replacement for
AllenNLP's `elmo_token_embedder`.
"""

from typing import List, Optional, Tuple

import torch
from allennlp.modules.token_embedders.token_embedder import TokenEmbedder

from allennlp_bioelmo.modules.bioelmo import DEFAULT_WARM_START_TEXT, BioElmo
from allennlp_bioelmo.modules.bilm import BiLm


@TokenEmbedder.register("bioelmo")
class BioElmoTokenEmbedder(TokenEmbedder):
    """
    BioELMo vectors for `bioelmo_characters` (or AllenNLP `elmo_characters`) indexed tokens: a
    drop-in replacement for AllenNLP's `elmo_token_embedder` (same parameter names where they
    overlap, same `forward` signature), computed by a `BioElmo` module, optionally projected.

    Registered as a `TokenEmbedder` with name "bioelmo".

    # Parameters

    options_file : `str`
        The biLM `options` JSON (the BioELMo release's, bilm-tf's training options, or
        BioELMo-small's, the default of the configs).
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
        `"scalar_mix"`, `"paper"`, `"top"`, `"average"` or `"concat"`; see `BiLmLayerMix`.
    layers : `List[int]`, optional (default = all)
        Layers for `"average"` and `"concat"` (0 = char-CNN layer).
    stateful : `bool`, optional (default = `False`)
        Carry LSTM states from one batch to the next, like bilm-tf and AllenNLP's ELMo.
    warm_start : `bool`, optional (default = `False`)
        Start every sentence from the LSTM states after reading `warm_start_text`.
    warm_start_text : `str`, optional (default = a few sentences of PubMed-style prose)
        Whitespace-tokenized warm-up text for `warm_start`.
    vocab_file : `str`, optional (default = `None`)
        A vocabulary file whose tokens' char-CNN vectors are kept once computed.
    vocab_cache_size : `int`, optional (default = `100000`)
        Most `vocab_file` tokens kept at once (the most recently used).
    inference_dtype : `str`, optional (default = `"float32"`)
        `"bfloat16"` runs the frozen biLM in bfloat16, `"auto"` where the CPU computes it natively;
        outputs are float32 either way.

    Every parameter but `projection_dim` is `BioElmo`'s; see there for the details.
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
        vocab_cache_size: int = 100_000,
        inference_dtype: str = "float32",
    ) -> None:
        super().__init__()
        self._bioelmo = BioElmo(
            options_file,
            weight_file,
            layer_mix=layer_mix,
            layers=layers,
            do_layer_norm=do_layer_norm,
            scalar_mix_parameters=scalar_mix_parameters,
            dropout=dropout,
            requires_grad=requires_grad,
            stateful=stateful,
            warm_start=warm_start,
            warm_start_text=warm_start_text,
            vocab_to_cache=vocab_to_cache,
            vocab_file=vocab_file,
            vocab_cache_size=vocab_cache_size,
            inference_dtype=inference_dtype,
        )
        self._projection = (
            torch.nn.Linear(self._bioelmo.get_output_dim(), projection_dim)
            if projection_dim
            else None
        )
        self.output_dim = projection_dim or self._bioelmo.get_output_dim()

    def get_output_dim(self) -> int:
        return self.output_dim

    @property
    def bioelmo(self) -> BioElmo:
        return self._bioelmo

    @property
    def bilm(self) -> BiLm:
        return self._bioelmo.bilm

    def reset_states(self) -> None:
        self._bioelmo.reset_states()

    def bilm_activations(
        self, character_ids: torch.Tensor, word_inputs: Optional[torch.Tensor]
    ) -> Tuple[List[torch.Tensor], torch.Tensor]:
        """
        The biLM layers (with sentence boundaries) and their mask; `bioelmo_cached` reads them from
        a file.
        """
        return self._bioelmo.bilm_activations(character_ids, word_inputs)

    def forward(
        self, elmo_tokens: torch.Tensor, word_inputs: Optional[torch.Tensor] = None
    ) -> torch.Tensor:
        """
        `elmo_tokens`: `(batch, timesteps, max_characters)` character ids (more leading dimensions
        are flattened and restored). `word_inputs`: optional `(batch, timesteps)` indices into
        `vocab_to_cache`.

        # Returns

        `(batch, timesteps, output_dim)` token vectors, zero at padded positions.
        """
        leading_shape = elmo_tokens.shape[:-2]
        character_ids = elmo_tokens.reshape(-1, *elmo_tokens.shape[-2:])
        if word_inputs is not None:
            word_inputs = word_inputs.reshape(-1, word_inputs.shape[-1])
        activations, mask = self.bilm_activations(character_ids, word_inputs)
        representation = self._bioelmo.combine(activations, mask)
        if self._projection is not None:
            representation = self._projection(representation)
        return representation.view(*leading_shape, character_ids.shape[1], -1)
