// Protein, DNA, RNA, cell line and cell type NER on JNLPBA (IOB tsv). Export JNLPBA_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.ner('JNLPBA', { type: 'bio_conll' })
