"""
The BioELMo network, flat as in `allennlp.modules`: `CharacterEncoder` (char CNN, highways,
projection) and `ProjectedBiLstm` make the `BiLm`; `BiLmLayerMix` mixes its layers; `BioElmo` (the
counterpart of AllenNLP's `Elmo`) puts them together; `token_embedders` registers the embedders.
"""

from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions
from allennlp_bioelmo.modules.bilm import BiLm
from allennlp_bioelmo.modules.bioelmo import BioElmo
from allennlp_bioelmo.modules.character_encoder import CharacterEncoder
from allennlp_bioelmo.modules.layer_mix import BiLmLayerMix
from allennlp_bioelmo.modules.projected_bilstm import ProjectedBiLstm

__all__ = ["BiLm", "BiLmOptions", "BioElmo", "CharacterEncoder", "BiLmLayerMix", "ProjectedBiLstm"]
