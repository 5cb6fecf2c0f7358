// DDI 2013, BLUE tsv release (@DRUG$ masks; DDI-mechanism/effect/advise/int, DDI-false excluded
// from micro-F1). Export DDI_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.relation('DDI', { format: 'tsv' }, negative_label='DDI-false')
