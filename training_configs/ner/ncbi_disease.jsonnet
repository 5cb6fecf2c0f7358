// Disease NER on NCBI-disease (IOB tsv as redistributed by SciBERT/BioBERT, 4 columns):
// frozen BioELMo -> biLSTM -> CRF. Real corpus: export NCBI_DISEASE_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.ner('NCBI_DISEASE', { type: 'bio_conll', input_scheme: 'BIO' })
