// ChemProt, BLUE tsv release (index, sentence with @CHEMICAL$/@GENE$ masks, label cpr:3..cpr:9 or
// false). Micro-F1 over the CPR classes, "false" excluded. Export CHEMPROT_BLUE_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.relation('CHEMPROT_BLUE', { format: 'tsv' }, negative_label='false')
