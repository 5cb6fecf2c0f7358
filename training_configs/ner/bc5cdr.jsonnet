// Chemical and disease NER on BC5CDR, IOB tsv release (BioBERT / MTL-Bioinformatics-2016).
// Real corpus: export BC5CDR_TRAIN/_DEV/_TEST. For the PubTator release use cdr_pubtator.jsonnet.
local common = import '../common.libsonnet';
common.ner('BC5CDR', { type: 'bio_conll' })
