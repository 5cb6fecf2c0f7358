"""
The biLM's vectors of each occurrence of a term, one set per layer: the char-CNN layer (layer 0,
the token's characters only), each LSTM layer, and, given a trained model, its layer mix (the
`bioelmo` embedder's scalar mix or the paper's mix, with the model's trained weights, before
dropout). An occurrence of several tokens gets the mean of its tokens' vectors.

Sentences run through the biLM one at a time in its stateless mode (every sentence from zero
states, as `bioelmo-embed` computes them), sorted by length into batches of `batch_size`.
"""

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy
import torch
from allennlp.common.checks import ConfigurationError

from allennlp_bioelmo.analysis import AnalysisError
from allennlp_bioelmo.analysis.term_occurrences import Collection, Occurrence
from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.modules.bioelmo import BioElmo
from allennlp_bioelmo.modules.layer_mix import BiLmLayerMix


@dataclass
class VectorSource:
    """A biLM, the model layer mix to add (None: the biLM's layers only) and a description."""

    bilm: BiLm
    description: str
    mix: Optional[BiLmLayerMix] = None
    mix_weights: Dict[str, float] = field(default_factory=dict)

    def layer_names(self) -> List[str]:
        names = ["char CNN (layer 0)"] + [
            f"LSTM layer {k}" for k in range(1, self.bilm.num_output_layers)
        ]
        if self.mix is not None:
            weights = [v for k, v in self.mix_weights.items() if k.startswith("layer")]
            shown = "/".join(f"{w:.2f}" for w in weights)
            names.append(f"model's mix ({self.mix.mode}{': ' + shown if shown else ''})")
        return names


def source_from_files(options_file: str, weight_file: Optional[str]) -> VectorSource:
    """The biLM of an options and a weight file."""
    try:
        bilm = BiLm.from_files(options_file, weight_file)
    except ConfigurationError as error:  # a missing or broken options or weight file
        raise AnalysisError(str(error))
    except (OSError, ValueError, KeyError) as error:
        raise AnalysisError(f"cannot load the biLM {options_file} / {weight_file}: {error}")
    return VectorSource(bilm, f"biLM {weight_file or '(random weights)'}")


def mix_weights(mix: BiLmLayerMix) -> Dict[str, float]:
    """The normalized layer weights of a model's mix (and `gamma` for `scalar_mix`)."""
    with torch.no_grad():
        if mix.mode == "scalar_mix":
            scalar = mix.scalar_mix
            weights = torch.softmax(torch.cat([p for p in scalar.scalar_parameters]), dim=0)
            found = {f"layer {k}": float(w) for k, w in enumerate(weights)}
            found["gamma"] = float(scalar.gamma)
            return found
        if mix.mode == "paper":
            weights = torch.softmax(mix.layer_weights, dim=0)
            return {f"layer {k}": float(w) for k, w in enumerate(weights)}
    return {f"layer {k}": 1.0 for k in mix.layers} if mix.mode in ("average", "concat") else {}


def source_from_archive(archive_file: str, cuda_device: int = -1) -> VectorSource:
    """The biLM and the layer mix of the first `bioelmo` embedder of a trained model."""
    from allennlp.models.archival import load_archive

    try:
        archive = load_archive(archive_file, cuda_device=cuda_device)
    except FileNotFoundError as error:
        raise AnalysisError(f"model archive not found: {archive_file} ({error})")
    modules = [m for m in archive.model.modules() if isinstance(m, BioElmo)]
    if not modules:
        raise AnalysisError(
            f"the model in {archive_file} has no bioelmo embedder (no BioElmo module)"
        )
    bioelmo = modules[0]
    source = VectorSource(
        bioelmo.bilm,
        f"the biLM of {archive_file}",
        mix=bioelmo._mix,
        mix_weights=mix_weights(bioelmo._mix),
    )
    if len(modules) > 1:
        source.description += f" (the first of its {len(modules)} bioelmo embedders)"
    return source


def occurrence_vectors(
    source: VectorSource,
    collection: Collection,
    occurrences: Sequence[Occurrence],
    batch_size: int = 32,
    device: Optional[torch.device] = None,
) -> List[numpy.ndarray]:
    """
    One `(len(occurrences), dim)` float32 array per layer (`source.layer_names()`), row `i` the
    vector of occurrence `i`.
    """
    device = device or torch.device("cpu")
    by_sentence: Dict[Tuple[int, int], List[int]] = {}
    for index, occurrence in enumerate(occurrences):
        by_sentence.setdefault((occurrence.document, occurrence.sentence), []).append(index)
    keys = sorted(
        by_sentence,
        key=lambda key: len(collection.documents[key[0]].sentences[key[1]].tokens),
    )
    bilm, mix = source.bilm.to(device).eval(), source.mix
    if mix is not None:
        mix.to(device).eval()
    stateful, bilm.stateful = bilm.stateful, False
    max_characters = bilm.options.max_characters_per_token
    layers: Optional[List[numpy.ndarray]] = None
    try:
        with torch.no_grad():
            for first in range(0, len(keys), batch_size):
                batch = keys[first : first + batch_size]
                tokens = [collection.documents[d].sentences[s].tokens for d, s in batch]
                output = bilm(batch_to_ids(tokens, max_characters, device))
                activations = [layer.float() for layer in output["activations"]]
                if mix is not None:
                    activations.append(mix(activations, output["mask"]).float())
                if layers is None:
                    layers = [
                        numpy.zeros((len(occurrences), a.shape[-1]), dtype=numpy.float32)
                        for a in activations
                    ]
                for row, key in enumerate(batch):
                    for index in by_sentence[key]:
                        occurrence = occurrences[index]
                        # position 0 is <S>: token i is at i + 1
                        positions = slice(occurrence.start + 1, occurrence.end + 1)
                        for layer, activation in zip(layers, activations):
                            layer[index] = activation[row, positions].mean(dim=0).cpu().numpy()
    finally:
        bilm.stateful = stateful
    if layers is None:
        raise AnalysisError("no occurrences to compute vectors for")
    return layers
