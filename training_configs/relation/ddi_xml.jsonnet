// DDI-2013 drug-drug interactions from the original XML (a directory of documents, or one file):
// every pair of entities of a sentence (drug, brand, group, drug_n; each pair once) is an
// instance labelled mechanism/effect/advise/int, or NONE (ddi="false"; excluded from micro-F1).
// Only the training part is public here, so when DDI_XML_DEV is DDI_XML_TRAIN (the default) the
// development split is taken from the training documents by a stable hash of the document id
// (10%, reader parameter dev_fraction), the rest is trained on; DDI_XML_TEST, when it is the
// training part too, is scored on that same development split. Export DDI_XML_TRAIN/_DEV/_TEST,
// e.g. all three ../shared/data/ddi-2013-xml/Train, or _TEST the corpus's Test directory.
local common = import '../common.libsonnet';
local train = common.env('DDI_XML_TRAIN');
local dev = common.env('DDI_XML_DEV');
local test = common.env('DDI_XML_TEST');
local held_out = dev == train;
common.relation('DDI_XML', {
  type: 'bio_document_relation',
  format: 'ddi_xml',
  candidate_types: 'any',
  relation_level: 'mention',
  negative_label: 'NONE',
  dev_fraction: 0.1,
}, negative_label='NONE') + {
  train_data_path: if held_out then { path: train, split: 'train' } else train,
  validation_data_path: if held_out then { path: dev, split: 'dev' } else dev,
  test_data_path: if held_out && test == train then { path: test, split: 'dev' } else test,
}
