import os
import shutil

import pytest

from allennlp_bioelmo.data.dataset_readers import BioDdiXmlDatasetReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from tests import FIXTURES
from tests.conftest import shared_data
from tests.data.dataset_readers.test_bio_bioc import OVERLAPPING, assert_balanced, entities

DDI = os.path.join(FIXTURES, "documents", "ddi")
DOCUMENT = os.path.join(DDI, "MedLine", "d900.xml")


def test_corpus_sentences_are_the_instances_and_types_are_the_corpus_types():
    reader = BioDdiXmlDatasetReader()
    instances = list(reader.read(DDI))
    # s1 has no entity but is a sentence all the same; s2's text holds a line break
    assert [i["metadata"]["words"][0] for i in instances] == ["Ritonavir", "No", "Aspirin"]
    # "antiretroviral ... drugs" covers "antiretroviral and antifungal drugs": the nested
    # "antifungal drugs" is dropped
    assert entities(instances[0]) == [
        ("drug", "Ritonavir"),
        ("group", "antiretroviral and antifungal drugs"),
        ("brand", "Kaletra"),
    ]
    assert entities(instances[2]) == [("drug_n", "Aspirin")]
    statistics = reader.statistics.to_dict()
    assert (statistics["documents"], statistics["sentences"]) == (1, 3)
    assert statistics["mentions"]["read"] == {"brand": 1, "drug": 1, "drug_n": 1, "group": 2}
    assert statistics["mentions"]["dropped"] == {"group": {"count": 1, "reasons": {OVERLAPPING: 1}}}
    assert statistics["mentions"]["discontinuous"] == {"policy": "covering", "count": {"group": 1}}
    assert_balanced(reader.statistics)


def test_a_file_reads_like_its_directory_and_offsets_point_into_the_document():
    text = (
        "Ritonavir raises levels of antiretroviral and antifungal drugs; Kaletra did not. "
        "No interaction was seen. Aspirin\r\nwas given."
    )
    instances = list(BioDdiXmlDatasetReader().read(DOCUMENT))
    assert [i["metadata"]["words"] for i in instances] == [
        i["metadata"]["words"] for i in BioDdiXmlDatasetReader().read(DDI)
    ]
    for instance in instances:
        assert instance["metadata"]["document_id"] == "DDI-MedLine.d900"
        for word, (start, end) in zip(
            instance["metadata"]["words"], instance["metadata"]["offsets"]
        ):
            assert text[start:end] == word


def test_first_span_and_type_selection():
    reader = BioDdiXmlDatasetReader(discontinuous="first_span", entity_types=["group", "drug"])
    instances = list(reader.read(DDI))
    assert entities(instances[0]) == [
        ("drug", "Ritonavir"),
        ("group", "antiretroviral"),
        ("group", "antifungal drugs"),
    ]
    dropped = reader.statistics.to_dict()["mentions"]["dropped"]
    assert dropped == {
        "brand": {"count": 1, "reasons": {"type not selected": 1}},
        "drug_n": {"count": 1, "reasons": {"type not selected": 1}},
    }
    assert_balanced(reader.statistics)


def write_document(tmp_path, replace):
    directory = tmp_path / "ddi"
    shutil.copytree(DDI, directory)
    path = directory / "MedLine" / "d900.xml"
    data = path.read_bytes()
    path.write_bytes(replace(data))
    return str(directory), str(path)


def test_malformed_xml_names_file_and_line(tmp_path):
    directory, path = write_document(
        tmp_path, lambda data: data.replace(b'type="brand" text="Kaletra"/>', b'type="brand"')
    )
    with pytest.raises(DataFormatError) as error:
        list(BioDdiXmlDatasetReader().read(directory))
    assert f"{path}, line " in str(error.value) and "malformed XML" in str(error.value)


def test_an_offset_beyond_the_sentence_names_file_and_line(tmp_path):
    directory, path = write_document(
        tmp_path, lambda data: data.replace(b'charOffset="64-70"', b'charOffset="64-700"')
    )
    with pytest.raises(DataFormatError, match="charOffset '64-700' lies beyond its sentence"):
        list(BioDdiXmlDatasetReader().read(directory))


def test_non_utf8_bytes_name_file_and_line(tmp_path):
    directory, path = write_document(
        tmp_path, lambda data: data.replace(b"Ritonavir raises", b"Ritonavir\xff raises")
    )
    with pytest.raises(DataFormatError, match=f"{path}, line 3: not valid UTF-8"):
        list(BioDdiXmlDatasetReader().read(directory))


def test_real_ddi_training_part_counts():
    reader = BioDdiXmlDatasetReader()
    instances = list(reader.read(shared_data("ddi-2013-xml", "Train")))
    statistics = reader.statistics.to_dict()
    # 6,976 sentences, 71 of them without text
    assert (statistics["documents"], statistics["sentences"], len(instances)) == (714, 6905, 6905)
    mentions = statistics["mentions"]
    assert mentions["read"] == {"brand": 1437, "drug": 9425, "drug_n": 504, "group": 3399}
    assert mentions["placed"] == {"brand": 1437, "drug": 9416, "drug_n": 503, "group": 3371}
    assert mentions["discontinuous"]["count"] == {"drug": 7, "drug_n": 1, "group": 30}
    assert_balanced(reader.statistics)
