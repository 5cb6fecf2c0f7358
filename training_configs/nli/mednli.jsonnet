// MedNLI (jsonl: sentence1, sentence2, gold_label): frozen BioELMo, pooled premise and hypothesis
// features, feedforward. MedNLI needs a credentialed licence: export MEDNLI_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.data('MEDNLI') + {
  dataset_reader: { type: 'bio_nli', token_indexers: common.indexers },
  model: {
    type: 'bio_nli_classifier',
    text_field_embedder: common.embedder(dropout=0.25),
    pair_scorer: 'pooled',
    feedforward: { input_dim: 8 * common.bilmDim, num_layers: 1, hidden_dims: 200, activations: 'relu', dropout: 0.25 },
  },
  data_loader: common.dataLoader(32, 'premise'),
  trainer: common.trainer(common.envInt('NLI_EPOCHS'), 0.001, '+accuracy'),
}
