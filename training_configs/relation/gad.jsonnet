// GAD gene-disease association, BioBERT tsv release (@GENE$/@DISEASE$ masks, labels 0/1; F1 of
// class 1). Export GAD_TRAIN/_DEV/_TEST, e.g. ../shared/data/gad-fold1/{train,test}.tsv.
local common = import '../common.libsonnet';
common.relation('GAD', { format: 'tsv' }, negative_label='0')
