// NER from BRAT standoff (.txt + .ann directories). Export BRAT_TRAIN/_DEV/_TEST (directories).
local common = import '../common.libsonnet';
common.ner('BRAT', { type: 'bio_brat' })
