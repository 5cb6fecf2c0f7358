// Fine-tuned-style baseline for the probing comparison, as AllenNLP's ner_elmo.jsonnet: BioELMo
// (scalar mix) -> 2-layer biLSTM (200) -> CRF, dropout 0.5. Export BC2GM_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.data('BC2GM') + {
  dataset_reader: { type: 'bio_conll', input_scheme: 'BIO', token_indexers: common.indexers },
  model: {
    type: 'bio_crf_tagger',
    label_encoding: 'BIO',
    text_field_embedder: common.embedder(dropout=0.5),
    encoder: common.biLstm(200, layers=2, dropout=0.5),
    dropout: 0.5,
  },
  data_loader: common.dataLoader(32),
  trainer: common.trainer(common.envInt('NER_EPOCHS'), 0.001, '+f1-measure-overall', patience=25),
}
