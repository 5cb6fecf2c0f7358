// ChemProt, SciBERT jsonl release (<< chemical/protein >> and [[ ... ]] markers, 13 labels, no
// negative class), as in ../shared/data/chemprot. Export CHEMPROT_TRAIN/_DEV/_TEST.
local common = import '../common.libsonnet';
common.relation('CHEMPROT', { format: 'marked_jsonl' })
