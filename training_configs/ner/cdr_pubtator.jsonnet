// Chemical and disease NER from the original BC5CDR PubTator release (sentence-split and
// tokenized offline). Export CDR_PUBTATOR_TRAIN/_DEV/_TEST, e.g. CDR_TrainingSet.PubTator.txt.
local common = import '../common.libsonnet';
common.ner('CDR_PUBTATOR', { type: 'bio_pubtator' })
