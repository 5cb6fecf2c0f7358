import json

from tests.commands.cli import allennlp
from tests.conftest import TEST_BILM_OPTIONS, TEST_BILM_WEIGHTS


def test_listed_in_allennlp_help():
    help_text = allennlp("--help").stdout
    assert "bioelmo-info" in help_text and "bioelmo-embed" in help_text


def test_prints_components_and_bilm_shape():
    result = allennlp(
        "bioelmo-info",
        "--options-file",
        TEST_BILM_OPTIONS,
        "--weight-file",
        TEST_BILM_WEIGHTS,
        "--json",
    )
    info = json.loads(result.stdout)
    assert info["components"]["TokenEmbedder"] == ["bioelmo", "bioelmo_cached"]
    assert info["components"]["Subcommand"] == [
        "bioelmo-convert",
        "bioelmo-embed",
        "bioelmo-finetune",
        "bioelmo-info",
        "bioelmo-perplexity",
        "bioelmo-plot",
        "bioelmo-senses",
        "bioelmo-stats",
    ]
    assert "bioelmo_characters" in info["components"]["TokenIndexer"]
    assert "bio_conll" in info["components"]["DatasetReader"]
    assert info["bilm"]["output_dim"] == 32 and info["bilm"]["weights_match_options"] is True
    assert info["bilm"]["parameters"] > 0


def test_reports_weights_that_disagree_with_options(tmp_path):
    options = json.loads(open(TEST_BILM_OPTIONS).read())
    options["lstm"]["dim"] = 25
    other = tmp_path / "options.json"
    other.write_text(json.dumps(options))
    result = allennlp(
        "bioelmo-info",
        "--options-file",
        str(other),
        "--weight-file",
        TEST_BILM_WEIGHTS,
        check=False,
    )
    assert result.returncode != 0
    assert "LSTMCell/W_0' has shape (32, 96), but options" in result.stderr
