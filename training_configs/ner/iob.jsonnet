// Any NER corpus in IOB/CoNLL columns (IOB1, BIO or IOBES, detected; tag in the last column).
// Export IOB_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.ner('IOB', { type: 'bio_conll', input_scheme: 'auto' })
