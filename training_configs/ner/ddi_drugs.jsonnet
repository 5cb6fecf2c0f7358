// Drug NER (DDI-2013 DrugNER: drug, brand, group, drug_n) from the corpus's original XML. Each path
// is a directory of DDI .xml documents (searched recursively) or one file; the corpus sentences
// are the instances. The split into training and development documents is yours (e.g. 10% of
// Train/ into a dev directory): export DDI_DRUGS_TRAIN, DDI_DRUGS_DEV and DDI_DRUGS_TEST (the
// Test/ part of the corpus, or your dev directory if you have no test part).
local common = import '../common.libsonnet';
common.ner('DDI_DRUGS', { type: 'bio_ddi_xml', discontinuous: 'covering' })
