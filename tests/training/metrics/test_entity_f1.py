import pytest

from allennlp_bioelmo.training.metrics import EntityF1


def test_strict_matching_overall_and_per_type():
    metric = EntityF1()
    gold = [[("Disease", (0, 1)), ("Chemical", (3, 3))], [("Disease", (2, 4))]]
    predicted = [[("Disease", (0, 1)), ("Chemical", (4, 4))], [("Disease", (2, 3))]]
    metric(predicted, gold)
    result = metric.get_metric(reset=True)
    # Disease: 1 tp, 1 fp (boundary), 1 fn; Chemical: 0 tp, 1 fp, 1 fn
    assert result["precision-Disease"] == pytest.approx(0.5)
    assert result["recall-Disease"] == pytest.approx(0.5)
    assert result["f1-measure-Chemical"] == 0.0
    assert result["precision-overall"] == pytest.approx(1 / 3)
    assert result["recall-overall"] == pytest.approx(1 / 3)
    assert result["f1-measure-overall"] == pytest.approx(1 / 3)
    assert metric.get_metric()["f1-measure-overall"] == 0.0  # reset


def test_type_must_match():
    metric = EntityF1()
    metric([[("Gene", (0, 0))]], [[("Protein", (0, 0))]])
    assert metric.get_metric()["f1-measure-overall"] == 0.0
