// The BioELMo paper's NLI probe: fixed BioELMo features (paper's layer mix), 16 bilinear
// 1024x1024 maps scoring every premise-hypothesis token pair, max-pooled over pairs, then a
// linear layer to the 3 labels. Export MEDNLI_TRAIN/_DEV/_TEST (credentialed MedNLI copy).
local common = import '../common.libsonnet';
common.data('MEDNLI') + {
  dataset_reader: { type: 'bio_nli', token_indexers: common.indexers },
  model: {
    type: 'bio_nli_classifier',
    text_field_embedder: common.embedder(layer_mix='paper', dropout=0.0),
    pair_scorer: 'bilinear',
    num_bilinear_maps: 16,
  },
  data_loader: common.dataLoader(32, 'premise'),
  trainer: common.trainer(10, 0.002, '-loss'),
}
