// BC5CDR chemical-induced disease (CID) relations, from the BioC XML or the PubTator release (the
// format is detected): every Chemical-Disease mention pair of a sentence is an instance, labelled
// CID when the document relates their MeSH ids, NONE otherwise. Validation metric: document-level
// F1 over (document, chemical, disease), the CDR task's measure, which counts the CID relations
// whose concepts never share a sentence as missed. Export CDR_CID_TRAIN/_DEV/_TEST, e.g.
// CDR_TrainingSet.BioC.xml, CDR_DevelopmentSet.BioC.xml, CDR_TestSet.BioC.xml.
local common = import '../common.libsonnet';
common.relation('CDR_CID', {
  type: 'bio_document_relation',
  candidate_types: [['Chemical', 'Disease']],
  relation_types: ['CID'],
  relation_level: 'concept',
  negative_label: 'NONE',
}, negative_label='NONE') + {
  trainer+: { validation_metric: '+document-f1' },
}
