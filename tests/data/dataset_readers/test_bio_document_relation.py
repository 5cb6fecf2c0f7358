import logging
import os

import pytest
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.data import DatasetReader
from allennlp.data.dataset_readers.dataset_reader import WorkerInfo

from allennlp_bioelmo.data.dataset_readers import BioDocumentRelationDatasetReader
from allennlp_bioelmo.data.dataset_readers.bio_document_relation import split_of
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from tests import FIXTURES
from tests.conftest import shared_data

CDR = os.path.join(FIXTURES, "documents", "cdr_cid")
CDR_BIOC = os.path.join(CDR, "sample.BioC.xml")
CDR_PUBTATOR = os.path.join(CDR, "sample.PubTator.txt")
DDI = os.path.join(FIXTURES, "documents", "ddi_relations")
DOCUMENTS = os.path.join(FIXTURES, "documents")
CHEMICAL_DISEASE = [["Chemical", "Disease"]]
LOGGER = "allennlp_bioelmo.data.dataset_readers.bio_document_relation"


def cid_reader(**kwargs):
    kwargs.setdefault("candidate_types", CHEMICAL_DISEASE)
    return BioDocumentRelationDatasetReader(**kwargs)


def read(reader, path):
    return list(reader.read(path))


def words(instance, key):
    span = instance[key]
    return " ".join(instance["metadata"]["words"][span.span_start : span.span_end + 1])


def summary(instance):
    """What an instance is, whatever the mention ids of its release."""
    metadata = instance["metadata"].metadata
    return (
        metadata["document_id"],
        words(instance, "head"),
        words(instance, "tail"),
        instance["label"].label,
        tuple(map(tuple, metadata["relation_arguments"])),
        tuple(metadata["words"]),
    )


def by_document(instances, document_id):
    return [i for i in instances if i["metadata"]["document_id"] == document_id]


def test_registered_and_built_from_params():
    reader = DatasetReader.from_params(
        Params(
            {
                "type": "bio_document_relation",
                "candidate_types": CHEMICAL_DISEASE,
                "relation_types": ["CID"],
                "entity_representation": "typed_markers",
            }
        )
    )
    assert isinstance(reader, BioDocumentRelationDatasetReader)
    instance = read(reader, CDR_BIOC)[0]
    assert words(instance, "head") == "<head:Chemical> Cisplatin </head:Chemical>"
    assert words(instance, "tail") == "<tail:Disease> nephrotoxicity </tail:Disease>"


def test_cid_candidates_labels_and_direction():
    instances = read(cid_reader(), CDR_BIOC)
    first = by_document(instances, "9001")
    assert [(words(i, "head"), words(i, "tail"), i["label"].label) for i in first] == [
        ("Cisplatin", "nephrotoxicity", "CID"),
        ("Cisplatin", "ototoxicity", "CID"),
        ("cisplatin", "renal failure", "CID"),
        ("saline", "Hearing loss", "NONE"),  # head is the Chemical even when it comes second
        ("Furosemide", "kidney damage", "NONE"),  # D007674 is related, but to cisplatin only
    ]
    metadata = first[2]["metadata"]
    assert metadata["head_identifiers"] == ["D002945"]
    assert metadata["tail_identifiers"] == ["D051437"]
    assert metadata["relation_arguments"] == [["D002945", "D051437"]]
    assert metadata["relation_level"] == "concept"
    assert metadata["gold_relations"] == {
        "9001": [
            ["CID", "D002945", "D006311"],
            ["CID", "D002945", "D007674"],
            ["CID", "D002945", "D051437"],
        ]
    }
    assert metadata["head_mention"] == "3" and metadata["tail_mention"] == "4"
    # sentences never cross passages: the title's mentions pair only among themselves
    assert all(i["metadata"]["sentence"][1] <= 57 for i in first[:2])


def test_composite_mentions_stand_for_all_their_identifiers_and_their_parts_are_skipped():
    reader = cid_reader()
    instances = by_document(read(reader, CDR_BIOC), "9002")
    assert (
        len(instances) == 1
    )  # the BioC individual mentions "Nausea", "vomiting" are no candidates
    assert words(instances[0], "tail") == "Nausea and vomiting"
    assert instances[0]["label"].label == "CID"
    assert instances[0]["metadata"]["relation_arguments"] == [
        ["D009020", "D009325"],
        ["D009020", "D014839"],
    ]
    dropped = reader.statistics.mentions_dropped
    assert sum(count for reason, count in dropped["Disease"].items() if "composite" in reason) == 2
    kept = read(cid_reader(composite_parts="keep"), CDR_BIOC)
    assert len(by_document(kept, "9002")) == 3


def test_mentions_without_identifiers_are_skipped_and_counted():
    reader = cid_reader()
    instances = read(reader, CDR_PUBTATOR)
    assert not any(words(i, "head") == "contrast dye" for i in instances)  # MeSH -1
    reasons = reader.statistics.mentions_dropped["Chemical"]
    assert [count for reason, count in reasons.items() if "no concept identifier" in reason] == [1]
    assert reader.statistics.unbalanced_mention_types() == {}


def test_unreachable_relations_are_counted_warned_once_and_kept_in_the_gold_sets(caplog):
    reader = cid_reader()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        instances = read(reader, CDR_BIOC)
    statistics = reader.statistics.to_dict()["relations"]
    assert statistics["read"] == {"CID": 9}
    assert statistics["instances"] == {"CID": 8, "NONE": 8}
    assert statistics["unreachable"] == {
        "CID": {"count": 2, "reasons": {"its concepts never share a sentence": 2}}
    }
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2 gold relations unreachable" in warnings[0] and "9003 R0" in warnings[0]
    # 9003 and 9005 have no instance (their chemical and disease never share a sentence); their
    # gold relations ride on the next instances, so the document-level metric still sees them
    gold = {}
    for instance in instances:
        for document, keys in instance["metadata"]["gold_relations"].items():
            gold.setdefault(document, set()).update(map(tuple, keys))
    assert gold["9003"] == {("CID", "D008094", "D014202")}
    assert gold["9005"] == {("CID", "D014635", "D056486")}
    assert sum(len(keys) for keys in gold.values()) == 9
    assert not by_document(instances, "9003") and not by_document(instances, "9005")


def test_bioc_and_pubtator_releases_give_the_same_instances():
    bioc = [summary(i) for i in read(cid_reader(), CDR_BIOC)]
    pubtator = [summary(i) for i in read(cid_reader(format="pubtator"), CDR_PUBTATOR)]
    assert bioc == pubtator and len(bioc) == 16


def test_ddi_pairs_are_mention_level_with_negative_pairs_as_the_negative_label():
    reader = BioDocumentRelationDatasetReader(format="ddi")
    instances = read(reader, DDI)
    statistics = reader.statistics.to_dict()["relations"]
    assert statistics["instances"] == {
        "NONE": 17,
        "advise": 2,
        "effect": 4,
        "int": 2,
        "mechanism": 8,
    }
    assert sum(statistics["read"].values()) == len(instances)  # one instance per DDI pair
    ritonavir = by_document(instances, "DDI-MedLine.d9005")[0]
    assert (words(ritonavir, "head"), words(ritonavir, "tail")) == ("MDMA", "ritonavir")
    assert ritonavir["metadata"]["relation_arguments"] == [
        ["DDI-MedLine.d9005.s0.e0", "DDI-MedLine.d9005.s0.e1"]
    ]
    assert ritonavir["metadata"]["relation_level"] == "mention"
    assert ritonavir["metadata"]["head_identifiers"] == []
    # the discontinuous "Antiretroviral ... drugs" covers its gap ("covering")
    kaletra = by_document(instances, "DDI-MedLine.d9006")
    assert [(words(i, "head"), words(i, "tail"), i["label"].label) for i in kaletra[1:]] == [
        ("Antiretroviral and antifungal drugs", "antifungal drugs", "NONE"),
        ("Antiretroviral and antifungal drugs", "Kaletra", "int"),
        ("antifungal drugs", "Kaletra", "effect"),
    ]


def test_overlapping_mentions_cannot_carry_markers_and_are_counted(caplog):
    reader = BioDocumentRelationDatasetReader(format="ddi", entity_representation="mask")
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        instances = read(reader, DDI)
    assert len(instances) == 32
    assert "1 candidate pairs skipped (NONE 1): their mentions overlap" in caplog.text
    masked = by_document(instances, "DDI-MedLine.d9005")[0]
    assert masked["metadata"]["words"][:3] == ["@drug_n$", "and", "@drug$"]


def test_ddi_splits_partition_the_documents_by_a_stable_hash():
    everything = {
        i["metadata"]["document_id"] for i in read(BioDocumentRelationDatasetReader(), DDI)
    }
    reader = BioDocumentRelationDatasetReader(split="train")
    train = {i["metadata"]["document_id"] for i in read(reader, DDI)}
    dev = {
        i["metadata"]["document_id"]
        for i in read(reader, {"path": DDI, "split": "dev"})  # the path's split wins
    }
    assert dev == {"DDI-DrugBank.d9001", "DDI-MedLine.d9023"}
    assert train | dev == everything and not train & dev
    assert split_of("DDI-MedLine.d9023", 0.1) == "dev" and split_of("DDI-MedLine.d9023", 0.0) == (
        "train"
    )
    assert read(reader, Params({"path": DDI, "split": "all"}))  # as AllenNLP passes a dict


def test_relation_types_select_the_targets_and_conflicts_are_counted(caplog):
    sample = os.path.join(DOCUMENTS, "sample.bioc.xml")  # 1001: CID and a mention-level "causes"
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        both = by_document(read(cid_reader(), sample), "1001")
    pair = [i for i in both if words(i, "head") == "Desferrioxamine"][0]
    assert pair["label"].label == "CID"  # the first relation of the document
    # "causes" names mentions 4 and 5; at the concept level it relates their identifiers, which
    # the title's pair (3, 0) stands for too
    assert "candidate pairs with several relation types (CID+causes 2)" in caplog.text
    causes = by_document(read(cid_reader(relation_types=["causes"]), sample), "1001")
    assert [i["label"].label for i in causes if words(i, "head") == "Desferrioxamine"] == ["causes"]


def test_the_direction_follows_the_candidate_types():
    instances = read(cid_reader(candidate_types=[["Disease", "Chemical"]]), CDR_PUBTATOR)
    first = instances[0]
    assert (words(first, "head"), words(first, "tail")) == ("nephrotoxicity", "Cisplatin")
    assert first["label"].label == "CID"  # CID's roles say which identifier is which
    assert first["metadata"]["relation_arguments"] == [["D007674", "D002945"]]
    assert first["metadata"]["gold_relations"]["9001"][0] == ["CID", "D006311", "D002945"]


def test_workers_share_the_documents_and_together_carry_every_gold_relation():
    def without_gold(instance):
        return repr(
            {k: v for k, v in instance["metadata"].metadata.items() if k != "gold_relations"}
        )

    everything = read(cid_reader(), CDR_BIOC)
    shards = []
    for worker in range(2):
        reader = cid_reader()
        reader._set_worker_info(WorkerInfo(num_workers=2, id=worker))
        shards.append(read(reader, CDR_BIOC))
    assert shards[0] and shards[1]
    assert sorted(map(without_gold, shards[0] + shards[1])) == sorted(map(without_gold, everything))
    gold = {
        (document, *key)
        for instance in shards[0] + shards[1]
        for document, keys in instance["metadata"]["gold_relations"].items()
        for key in keys
    }
    assert len(gold) == 9


# ---- bad input ----------------------------------------------------------------------------------


def test_a_relation_naming_a_missing_mention_is_an_error_naming_the_document(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<collection><source/><date/><key/>\n'
        '<document><id>77</id><passage><infon key="type">title</infon><offset>0</offset>'
        "<text>Aspirin caused asthma.</text>"
        '<annotation id="A"><infon key="type">Chemical</infon><infon key="MESH">D001241</infon>'
        '<location offset="0" length="7"/><text>Aspirin</text></annotation></passage>'
        '<relation id="R1"><infon key="type">causes</infon><node refid="A" role="Agent"/>'
        '<node refid="B" role="Effect"/></relation></document></collection>\n'
    )
    with pytest.raises(DataFormatError, match="document 77: relation R1 names a missing"):
        read(cid_reader(candidate_types="any"), str(path))


def test_a_ddi_pair_naming_a_missing_entity_is_an_error(tmp_path):
    path = tmp_path / "bad_ddi.xml"
    path.write_text(
        '<document id="DDI-x.d1"><sentence id="s0" text="Aspirin and warfarin.">'
        '<entity id="s0.e0" charOffset="0-6" type="drug" text="Aspirin"/>'
        '<pair id="s0.p0" e1="s0.e0" e2="s0.e9" ddi="false"/></sentence></document>\n'
    )
    with pytest.raises(DataFormatError, match="e2 names a missing entity 's0.e9'"):
        read(BioDocumentRelationDatasetReader(format="ddi_xml"), str(path))


def test_candidate_types_not_in_the_data_are_an_error_naming_the_types_found():
    with pytest.raises(ConfigurationError, match="no mention of type 'chemical', 'disease'") as e:
        read(cid_reader(candidate_types=[["chemical", "disease"]]), CDR_PUBTATOR)
    assert "its mention types are Chemical, Disease" in str(e.value)


def test_a_candidate_type_partly_absent_is_a_warning(caplog):
    reader = cid_reader(candidate_types=[["Chemical", "Disease"], ["Chemical", "Gene"]])
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        instances = read(reader, CDR_PUBTATOR)
    assert len(instances) == 16
    assert "candidate_types names 'Gene', which no mention of the file has" in caplog.text


def test_relation_types_not_in_the_data_are_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        instances = read(cid_reader(relation_types=["CDI"]), CDR_PUBTATOR)
    assert {i["label"].label for i in instances} == {"NONE"}
    assert "relation_types names 'CDI', which no relation of the file has" in caplog.text


@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"candidate_types": [["Chemical"]]}, "candidate_types must be"),
        ({"candidate_types": "all"}, "candidate_types must be"),
        ({"format": "conll"}, "format must be one of"),
        ({"split": "test"}, "split must be one of"),
        ({"relation_level": "document"}, "relation_level must be one of"),
        ({"discontinuous": "pieces"}, "discontinuous must be one of"),
        ({"dev_fraction": 1.5}, "dev_fraction must be between 0 and 1"),
    ],
)
def test_bad_parameters_are_configuration_errors(parameters, message):
    with pytest.raises(ConfigurationError, match=message):
        BioDocumentRelationDatasetReader(**parameters)


def test_a_bad_data_path_object_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match='a data path object must be {"path"'):
        read(BioDocumentRelationDatasetReader(), {"file": DDI, "split": "dev"})


# ---- the real corpora ---------------------------------------------------------------------------


def test_real_cdr_training_set_bioc_and_pubtator_agree():
    bioc_path = shared_data("cdr-bioc", "CDR_TrainingSet.BioC.xml")
    pubtator_path = shared_data("cdr-pubtator", "CDR_TrainingSet.PubTator.txt")
    reader = cid_reader(relation_types=["CID"], relation_level="concept")
    bioc = [summary(i) for i in read(reader, bioc_path)]
    statistics = reader.statistics
    assert statistics.relation_instances == {"CID": 1803, "NONE": 2811}
    assert statistics.relations_read == {"CID": 1038}
    assert sum(statistics.relations_unreachable["CID"].values()) == 277
    assert statistics.unbalanced_mention_types() == {}
    assert [summary(i) for i in read(reader, pubtator_path)] == bioc


def test_real_ddi_gives_one_instance_per_pair():
    path = shared_data("ddi-2013-xml", "Train")
    reader = BioDocumentRelationDatasetReader(format="ddi_xml")
    instances = read(reader, path)
    assert len(instances) == 27792
    assert reader.statistics.relation_instances == {
        "NONE": 23771,
        "effect": 1687,
        "mechanism": 1319,
        "advise": 826,
        "int": 189,
    }
