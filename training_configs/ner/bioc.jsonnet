// NER from any BioC collection, XML or JSON (told apart by content): the entity types come from
// the data. Export BIOC_TRAIN/_DEV/_TEST; BIOC_ENTITY_TYPES (comma-separated, e.g.
// "Chemical,Disease") tags only those types, empty (the default) every type.
local common = import '../common.libsonnet';
local types = common.env('BIOC_ENTITY_TYPES');
common.ner('BIOC', {
  type: 'bio_bioc',
  discontinuous: 'covering',
  [if types != '' then 'entity_types']: [std.stripChars(t, ' ') for t in std.split(types, ',')],
})
