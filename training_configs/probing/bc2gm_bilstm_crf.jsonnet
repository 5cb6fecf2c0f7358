// Fine-tuned-style baseline for the probing comparison, at parity with allennlp-models'
// tagging/ner_elmo.jsonnet: BIOUL tags; BioELMo (scalar mix, no layer norm, no dropout) beside a
// trainable character CNN (128 filters of width 3 over 16-d characters) -> 2-layer biLSTM (200,
// dropout 0.5) -> CRF without start/end transitions, dropout 0.5; L2 (alpha 0.1) on the scalar
// mix weights; Adam 0.001, batch 64, gradient norm clipped at 5, patience 25, best by dev F1.
// Differences from ner_elmo.jsonnet, on purpose: no 50-d GloVe embeddings (nothing is downloaded
// at run time), and the number of epochs comes from NER_EPOCHS (default 30; ner_elmo trains 75).
// Export BC2GM_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
local charFilters = 128;
common.data('BC2GM') + {
  dataset_reader: {
    type: 'bio_conll',
    input_scheme: 'BIO',
    output_scheme: 'BIOUL',
    token_indexers: common.indexers { token_characters: { type: 'characters', min_padding_length: 3 } },
  },
  model: {
    type: 'bio_crf_tagger',
    label_encoding: 'BIOUL',
    include_start_end_transitions: false,
    text_field_embedder: common.embedder(dropout=0.0) + {
      token_embedders+: {
        token_characters: {
          type: 'character_encoding',
          embedding: { embedding_dim: 16, vocab_namespace: 'token_characters' },
          encoder: {
            type: 'cnn', embedding_dim: 16, num_filters: charFilters, ngram_filter_sizes: [3],
            conv_layer_activation: 'relu',
          },
        },
      },
    },
    encoder: common.biLstm(200, layers=2, dropout=0.5) { input_size: common.bilmDim + charFilters },
    dropout: 0.5,
    regularizer: { regexes: [['scalar_parameters', { type: 'l2', alpha: 0.1 }]] },
  },
  data_loader: common.dataLoader(64),
  trainer: common.trainer(common.envInt('NER_EPOCHS'), 0.001, '+f1-measure-overall', patience=25) + {
    grad_norm: 5.0,
  },
}
