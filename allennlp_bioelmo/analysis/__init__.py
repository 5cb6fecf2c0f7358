"""
What the biLM knows, looked at: the vectors of every occurrence of a term, layer by layer, and the
training curves of a run. One concept per module:

* `abbreviations`: Schwartz & Hearst's (2003) abbreviation-definition finder, "long form (SF)";
* `ambiguous_short_forms`: a collection's short forms defined with several long forms;
* `term_occurrences`: reading a collection (plain text, sentences, PubTator, BioC, ...), finding a
  term's occurrences and labelling them (gold mentions, abbreviation definitions, a JSON-lines
  file);
* `occurrence_vectors`: the biLM's vectors of each occurrence, per layer (and a trained model's
  layer mix);
* `neighbour_purity`: nearest-neighbour purity at k and leave-one-out 1-NN accuracy per layer;
* `sense_plots`: PCA and t-SNE projections, the PNG figure and the self-contained HTML page;
* `senses`: the whole `allennlp bioelmo-senses` analysis;
* `training_curves`: loss, validation metric and held-out perplexity of training runs, drawn to a
  PNG (`allennlp bioelmo-plot`);
* `dependencies`: the optional plotting dependencies (the `viz` extra).

Nothing here imports matplotlib or scikit-learn until it draws or projects.
"""


class AnalysisError(Exception):
    """Bad input or a missing dependency, with a message meant for the user (the commands print
    it and exit non-zero)."""
