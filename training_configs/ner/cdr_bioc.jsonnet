// Chemical and disease NER from the BioC XML release of BC5CDR (CDR_*Set.BioC.xml), sentence-split
// per passage and tokenized offline. Composite mentions: the covering span, i.e. the
// CompositeMention's tags; its IndividualMentions are counted as dropped (the same tags as the
// PubTator release, ner/cdr_pubtator.jsonnet). Export CDR_BIOC_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.ner('CDR_BIOC', {
  type: 'bio_bioc',
  entity_types: ['Chemical', 'Disease'],
  identifier_keys: ['MESH'],
  discontinuous: 'covering',
})
