// Gene mention NER on BioCreative II GM (2-column IOB2 tsv, MTL-Bioinformatics-2016 release, as in
// ../shared/data/bc2gm). Export BC2GM_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.ner('BC2GM', { type: 'bio_conll', input_scheme: 'BIO' })
