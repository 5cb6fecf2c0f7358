// Disease NER on NCBI-disease (IOB tsv as redistributed by SciBERT/BioBERT): frozen BioELMo ->
// biLSTM -> CRF. Real corpus: export NCBI_DISEASE_TRAIN / _DEV / _TEST (and the BIOELMO_* files).
local common = import '../common.libsonnet';
{
  dataset_reader: common.nerReader('BIO'),
  train_data_path: common.env('NCBI_DISEASE_TRAIN'),
  validation_data_path: common.env('NCBI_DISEASE_DEV'),
  test_data_path: common.env('NCBI_DISEASE_TEST'),
  evaluate_on_test: true,
  model: {
    type: 'bio_crf_tagger',
    label_encoding: 'BIO',
    text_field_embedder: { token_embedders: { elmo: common.bioelmo(dropout=0.25) } },
    encoder: { type: 'lstm', input_size: common.envInt('BIOELMO_OUTPUT_DIM'), hidden_size: 32, bidirectional: true },
    dropout: 0.25,
  },
  data_loader: common.dataLoader(8),
  trainer: common.trainer(epochs=common.envInt('NER_EPOCHS'), lr=0.01),
}
