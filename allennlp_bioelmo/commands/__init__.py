"""The `allennlp bioelmo-*` subcommands; importing this package registers them."""

from allennlp_bioelmo.commands.bioelmo_convert import BioElmoConvert
from allennlp_bioelmo.commands.bioelmo_embed import BioElmoEmbed
from allennlp_bioelmo.commands.bioelmo_finetune import BioElmoFinetune
from allennlp_bioelmo.commands.bioelmo_info import BioElmoInfo
from allennlp_bioelmo.commands.bioelmo_perplexity import BioElmoPerplexity
from allennlp_bioelmo.commands.bioelmo_plot import BioElmoPlot
from allennlp_bioelmo.commands.bioelmo_senses import BioElmoSenses
from allennlp_bioelmo.commands.bioelmo_stats import BioElmoStats
