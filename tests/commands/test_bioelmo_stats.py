import json
import os

import pytest

from tests import FIXTURES
from tests.commands.cli import allennlp, allennlp_in_process
from tests.conftest import shared_data

BIOC = os.path.join(FIXTURES, "documents", "sample.bioc.xml")
PUBTATOR = os.path.join(FIXTURES, "data", "pubtator", "sample.PubTator.txt")
OVERLAPPING = "overlaps a longer (or an equally long, earlier) mention"


def stats(capsys, *args):
    capsys.readouterr()
    allennlp_in_process("bioelmo-stats", *args)
    return json.loads(capsys.readouterr().out)


def test_one_json_object_on_stdout_logs_on_stderr():
    result = allennlp(
        "bioelmo-stats",
        "--config",
        os.path.join("training_configs", "ner", "cdr_bioc.jsonnet"),
    )
    # without FILE, the config's train_data_path (CDR_BIOC_TRAIN: the fixture by default)
    assert json.loads(result.stdout) == {
        "documents": 2,
        "sentences": 4,
        "tokens": 28,
        "mentions": {
            "read": {"Cell": 3, "Chemical": 2, "Disease": 4},
            "placed": {"Chemical": 2, "Disease": 2},
            "dropped": {
                "Cell": {"count": 3, "reasons": {"type not selected": 3}},
                "Disease": {"count": 2, "reasons": {OVERLAPPING: 2}},
            },
            "discontinuous": {"policy": "covering", "count": {"Disease": 1}},
        },
    }
    assert len(result.stdout.strip().splitlines()) == 1
    assert "FIXTURE corpus" in result.stderr and "INFO" in result.stderr


def test_reader_given_as_json(capsys):
    statistics = stats(capsys, PUBTATOR, "--reader", '{"type": "bio_pubtator"}')
    assert statistics["documents"] == 2 and statistics["sentences"] == 5
    assert statistics["mentions"]["read"] == statistics["mentions"]["placed"]
    assert statistics["mentions"]["read"] == {"Chemical": 4, "Disease": 6, "Gene": 1}
    statistics = stats(
        capsys, BIOC, "--reader", '{"type": "bio_bioc", "discontinuous": "drop"}', "--indent", "2"
    )
    assert statistics["mentions"]["discontinuous"]["policy"] == "drop"


def test_a_config_with_a_file_and_overrides(capsys):
    config = os.path.join("training_configs", "ner", "bioc.jsonnet")
    overrides = json.dumps({"dataset_reader.entity_types": ["Cell"]})
    statistics = stats(capsys, BIOC, "--config", config, "-o", overrides)
    assert statistics["mentions"]["placed"] == {"Cell": 2}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--reader", '{"type": "bio_conll"}'], "BioConllDatasetReader reader keeps no statistics"),
        (["--reader", "{type"], "--reader is not valid JSON"),
        (["--reader", '["bio_bioc"]'], "--reader must be a JSON object"),
        ([], "exactly one of --reader and --config"),
    ],
)
def test_clear_errors(args, message):
    with pytest.raises(SystemExit, match=message):
        allennlp_in_process("bioelmo-stats", BIOC, *args)


def test_bad_input_is_named_without_a_traceback(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text("<collection><document>\n<id>1</id>\n</documnt></collection>\n")
    with pytest.raises(SystemExit, match=f"bioelmo-stats: {path}, line 3: malformed XML"):
        allennlp_in_process("bioelmo-stats", str(path), "--reader", '{"type": "bio_bioc"}')


def balanced(mentions):
    for mention_type, read in mentions["read"].items():
        dropped = mentions["dropped"].get(mention_type, {"count": 0})["count"]
        assert mentions["placed"].get(mention_type, 0) + dropped == read, mention_type


@pytest.mark.parametrize(
    "corpus, reader, documents, read",
    [
        (
            ("cdr-bioc", "CDR_TrainingSet.BioC.xml"),
            "bio_bioc",
            500,
            {"Chemical": 5207, "Disease": 4363},
        ),
        (
            ("cdr-pubtator", "CDR_TrainingSet.PubTator.txt"),
            "bio_pubtator",
            500,
            {"Chemical": 5203, "Disease": 4182},
        ),
        (
            ("ddi-2013-xml", "Train"),
            "bio_ddi_xml",
            714,
            {"brand": 1437, "drug": 9425, "drug_n": 504, "group": 3399},
        ),
    ],
)
def test_real_corpora(capsys, corpus, reader, documents, read):
    path = shared_data(*corpus)
    statistics = stats(capsys, path, "--reader", json.dumps({"type": reader}))
    assert statistics["documents"] == documents
    assert statistics["mentions"]["read"] == read
    balanced(statistics["mentions"])
