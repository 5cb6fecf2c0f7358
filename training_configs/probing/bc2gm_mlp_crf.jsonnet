// The BioELMo paper's NER probe (Jin et al. 2019) on BC2GM: fixed BioELMo features (the paper's
// layer mix: softmax weights, no scale, no layer norm) -> MLP 1024-512-128-32 -> linear -> CRF;
// Adam lr 0.002, batch 32, 10 epochs, best checkpoint by dev loss. Export BC2GM_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.data('BC2GM') + {
  dataset_reader: { type: 'bio_conll', input_scheme: 'BIO', token_indexers: common.indexers },
  model: {
    type: 'bio_crf_tagger',
    label_encoding: 'BIO',
    text_field_embedder: common.embedder(layer_mix='paper', dropout=0.0),
    feedforward: {
      input_dim: common.bilmDim, num_layers: 3, hidden_dims: [512, 128, 32], activations: 'relu',
    },
  },
  data_loader: common.dataLoader(32),
  trainer: common.trainer(10, 0.002, '-loss'),
}
