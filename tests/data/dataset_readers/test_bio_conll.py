import logging
import os

import pytest

from allennlp.data.dataset_readers.dataset_reader import WorkerInfo

from tests import FIXTURES
from allennlp_bioelmo.data.dataset_readers import BioConllDatasetReader
from allennlp_bioelmo.data.dataset_readers.reader_utils import DataFormatError
from tests.conftest import shared_data

NCBI_FIXTURE = os.path.join(FIXTURES, "data", "ncbi_disease", "train.txt")


def read(path, **kwargs):
    return list(BioConllDatasetReader(**kwargs).read(str(path)))


def tags_of(instances):
    return [list(instance["tags"].labels) for instance in instances]


def write(tmp_path, content, name="data.txt"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def count_mentions(instances):
    return sum(tag.startswith(("B-", "U-")) for tags in tags_of(instances) for tag in tags)


def test_reads_the_bundled_ncbi_fixture():
    instances = read(NCBI_FIXTURE)
    assert len(instances) == 25
    first = instances[0]
    assert [t.text for t in first["tokens"].tokens][:4] == ["Germline", "mutations", "in", "BRCA1"]
    assert first["tags"].labels[7:9] == ["B-Disease", "I-Disease"]
    assert first["metadata"]["words"][3] == "BRCA1"
    assert count_mentions(instances) == 31


def test_docstart_crlf_space_separated_and_extra_columns(tmp_path):
    text = (
        "-DOCSTART- -X- O O\r\n\r\nIL-2 NN B-NP B-protein\r\ngene NN I-NP I-protein\r\n\r\n"
        "ok NN O O\r\n"
    )
    instances = read(write(tmp_path, text))
    assert [[t.text for t in i["tokens"].tokens] for i in instances] == [["IL-2", "gene"], ["ok"]]
    assert tags_of(instances) == [["B-protein", "I-protein"], ["O"]]


def test_configurable_tag_column(tmp_path):
    instances = read(write(tmp_path, "p53\tB-Gene\tNN\nprotein\tI-Gene\tNN\n"), tag_column=1)
    assert tags_of(instances) == [["B-Gene", "I-Gene"]]


def test_iob1_and_iobes_inputs_become_bio_or_bioul(tmp_path):
    iob1 = "a I-X\nb I-X\nc B-X\nd O\ne I-Y\n"
    assert tags_of(read(write(tmp_path, iob1), input_scheme="IOB1")) == [
        ["B-X", "I-X", "B-X", "O", "B-Y"]
    ]
    assert tags_of(read(write(tmp_path, iob1), output_scheme="BIOUL")) == [
        ["B-X", "L-X", "U-X", "O", "U-Y"]
    ]
    iobes = "a S-X\nb B-Y\nc E-Y\nd O\n"
    assert tags_of(read(write(tmp_path, iobes), input_scheme="IOBES")) == [
        ["B-X", "B-Y", "I-Y", "O"]
    ]
    assert tags_of(read(write(tmp_path, iobes), output_scheme="BIOUL")) == [
        ["U-X", "B-Y", "L-Y", "O"]
    ]


def test_entity_type_filter_and_renaming(tmp_path):
    text = "a B-Chemical\nb B-Disease\nc I-Disease\n"
    instances = read(
        write(tmp_path, text), entity_types=["Disease"], rename_types={"Disease": "DIS"}
    )
    assert tags_of(instances) == [["O", "B-DIS", "I-DIS"]]


@pytest.mark.parametrize(
    "content, kwargs, message",
    [
        ("a\tO\nb\tO\tx\n", {}, "line 2: expected 2 columns like the first token line, found 3"),
        ("a O\nb\n", {}, "line 2: expected at least 2 columns"),
        (
            "x O\n\na O\nb I-X\n",
            {"input_scheme": "BIO"},
            "line 3: sentence starting here: tag 'I-X' at position 2 does not continue",
        ),
        ("a S-X\n", {"input_scheme": "BIO"}, "line 1: .*tag 'S-X' is not in the BIO scheme"),
        ("a Disease\n", {}, "line 1: .*neither 'O' nor PREFIX-TYPE"),
        ("", {}, "the file is empty"),
        (b"caf\xe9 O\n", {}, "line 1: not valid UTF-8"),
    ],
)
def test_malformed_input_names_file_and_line(tmp_path, content, kwargs, message):
    path = write(tmp_path, content)
    with pytest.raises(DataFormatError, match=message) as error:
        read(path, **kwargs)
    assert str(path) in str(error.value)


def test_utf8_bom_is_dropped_and_crlf_accepted(tmp_path):
    plain = read(write(tmp_path, "Germline\tO\nBRCA1\tB-Gene\n\nok\tO\n"))
    bom_crlf = read(
        write(tmp_path, b"\xef\xbb\xbfGermline\tO\r\nBRCA1\tB-Gene\r\n\r\nok\tO\r\n", "b.txt")
    )
    assert [i["metadata"]["words"] for i in bom_crlf] == [["Germline", "BRCA1"], ["ok"]]
    assert tags_of(bom_crlf) == tags_of(plain) == [["O", "B-Gene"], ["O"]]


@pytest.mark.parametrize(
    "content, kwargs, message",
    [
        (
            "a\tO\nb\tO-Gene\n",
            {},
            "line 1: .*tag 'O-Gene' is neither 'O' nor PREFIX-TYPE: 'O' takes",
        ),
        ("a\tO-Gene\n", {"input_scheme": "BIO"}, "expected 'O' or B-TYPE, I-TYPE\\)"),
        ("a\tB-\n", {}, "line 1: .*tag 'B-' has an empty entity type"),
        ("a\tX-Gene\n", {"input_scheme": "IOBES"}, "not in the IOBES scheme .*S-TYPE"),
    ],
)
def test_a_tag_that_is_not_o_or_a_scheme_prefix_is_an_error(tmp_path, content, kwargs, message):
    path = write(tmp_path, content)
    with pytest.raises(DataFormatError, match=message) as error:
        read(path, **kwargs)
    assert str(path) in str(error.value)


def test_a_tag_error_names_the_line_of_the_tag(tmp_path):
    path = write(tmp_path, "a\tO\nb\tO\nc\tO-Gene\n")
    with pytest.raises(DataFormatError, match="line 1: sentence starting here: .*on line 3$"):
        read(path)


def test_a_file_of_blank_lines_warns_that_it_has_no_sentences(tmp_path, caplog):
    path = write(tmp_path, "\n\r\n  \n-DOCSTART- -X- O O\n\n")
    with caplog.at_level(logging.WARNING):
        assert read(path) == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"{path}: no sentences (only blank or -DOCSTART- lines): read as no instances"
    ]


def test_sharding_over_data_loader_workers_neither_drops_nor_duplicates():
    everything = [tuple(i["metadata"]["words"]) for i in BioConllDatasetReader().read(NCBI_FIXTURE)]
    shards = []
    for worker in range(2):
        reader = BioConllDatasetReader()
        reader._set_worker_info(WorkerInfo(num_workers=2, id=worker))
        shards.append([tuple(i["metadata"]["words"]) for i in reader.read(NCBI_FIXTURE)])
    assert len(shards[0]) == 13 and len(shards[1]) == 12
    assert sorted(shards[0] + shards[1]) == sorted(everything)


@pytest.mark.parametrize(
    "split, sentences, mentions",
    [("train.txt", 5424, 5134), ("dev.txt", 923, 787), ("test.txt", 940, 960)],
)
def test_real_ncbi_disease(split, sentences, mentions):
    instances = read(shared_data("ncbi-disease", split))
    assert len(instances) == sentences
    assert count_mentions(instances) == mentions


@pytest.mark.parametrize(
    "split, sentences, mentions",
    [("train.tsv", 12574, 15197), ("devel.tsv", 2519, 3061), ("test.tsv", 5038, 6325)],
)
def test_real_bc2gm(split, sentences, mentions):
    instances = read(shared_data("bc2gm", split), input_scheme="BIO")
    assert len(instances) == sentences
    assert count_mentions(instances) == mentions
