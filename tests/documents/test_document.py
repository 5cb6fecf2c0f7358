import pytest

from allennlp_bioelmo.documents import (
    Argument,
    Document,
    DocumentStatistics,
    Mention,
    Passage,
    Relation,
    apply_discontinuous_policy,
)
from allennlp_bioelmo.documents.document import base_role, unique_role

TITLE = "Ocular and auditory toxicity."
ABSTRACT = "Naloxone reversed it."


def sample() -> Document:
    passages = [Passage(0, TITLE, "title"), Passage(len(TITLE) + 1, ABSTRACT, "abstract")]
    naloxone = len(TITLE) + 1
    return Document.from_passages(
        "1",
        passages,
        mentions=[
            Mention("0", [(0, 28)], "Disease", ["D014786", "D006311"], TITLE[:28]),
            Mention("1", [(0, 6), (20, 28)], "Disease", ["D014786"], "Ocular toxicity"),
            Mention("2", [(11, 28)], "Disease", ["D006311"], "auditory toxicity"),
            Mention("3", [(naloxone, naloxone + 8)], "Chemical", ["D009270"], "Naloxone"),
        ],
        relations=[
            Relation("R0", "treats", {"Arg1": Argument.mention("3"), "Arg2": Argument("1")}),
            Relation(
                "R1",
                "CID",
                {"Chemical": Argument.concept("D009270"), "Disease": Argument.concept("D006311")},
            ),
        ],
    )


def test_text_is_the_passages_at_their_offsets_gaps_filled_with_spaces():
    document = sample()
    assert document.text == f"{TITLE} {ABSTRACT}"
    assert Document.text_from_passages([Passage(0, "ab"), Passage(5, "cd")]) == "ab   cd"
    with pytest.raises(ValueError, match="before the previous passage ends"):
        Document.text_from_passages([Passage(0, "abc"), Passage(2, "cd")])
    assert document.passage_at(0).type == "title"
    assert document.passage_at(len(TITLE)) is None  # the gap
    assert document.passage_at(len(TITLE) + 1).type == "abstract"
    document.validate()


def test_mentions_spans_and_text_check():
    document = sample()
    composite, ocular = document.mention("0"), document.mention("1")
    assert (ocular.start, ocular.end, ocular.is_discontinuous) == (0, 28, True)
    assert not composite.is_discontinuous
    assert document.text_at(ocular.spans) == "Ocular toxicity"
    assert document.text_at(ocular.spans, " ... ") == "Ocular ... toxicity"
    assert all(document.mention_text_matches(m) for m in document.mentions)
    # bconv writes the pieces joined by " ... "
    assert document.mention_text_matches(Mention("x", ocular.spans, "D", [], "Ocular ... toxicity"))
    assert not document.mention_text_matches(Mention("x", [(0, 6)], "D", [], "ocular"))
    assert not document.mention_text_matches(Mention("x", ocular.spans, "D", [], "Ocular tox"))
    with pytest.raises(KeyError, match="no mention 'nine'"):
        document.mention("nine")


def test_relations_argument_kinds():
    document = sample()
    mention_level, concept_level = document.relations
    assert mention_level.is_mention_level and not mention_level.is_concept_level
    assert concept_level.is_concept_level
    assert concept_level.arguments["Chemical"] == Argument("D009270", "concept")
    with pytest.raises(ValueError, match="argument kind"):
        Argument("x", "entity")
    assert unique_role("Theme", ["Theme", "Theme#2"]) == "Theme#3"
    assert base_role("Theme#3") == "Theme" and base_role("Arg1") == "Arg1"


def test_overlaps_are_kept_and_classified():
    document = sample()
    document.mentions.append(Mention("4", [(0, 28)], "Phenotype", [], TITLE[:28]))
    kinds = sorted((*sorted((a.id, b.id)), kind) for a, b, kind in document.overlaps())
    assert kinds == [
        ("0", "1", "nested"),
        ("0", "2", "nested"),
        ("0", "4", "identical"),
        ("1", "2", "crossing"),  # "Ocular ... toxicity" and "auditory toxicity" share "toxicity"
        ("1", "4", "nested"),
        ("2", "4", "nested"),
    ]
    stats = DocumentStatistics()
    stats.count_document(document)
    assert stats.overlaps == {"nested": 4, "identical": 1, "crossing": 1}


@pytest.mark.parametrize(
    "policy, spans, text",
    [
        ("pieces", [(0, 6), (20, 28)], "Ocular toxicity"),
        ("covering", [(0, 28)], "Ocular and auditory toxicity"),
        ("first_span", [(0, 6)], "Ocular"),
    ],
)
def test_discontinuous_policies(policy, spans, text):
    stats = DocumentStatistics()
    document = apply_discontinuous_policy(sample(), policy, stats)
    assert document.mention("1").spans == spans
    assert document.mention("1").text == text
    assert len(document.relations) == 2
    assert stats.discontinuous == {policy: 1}
    document.validate()


def test_discontinuous_drop_removes_the_mention_and_its_relations():
    stats = DocumentStatistics()
    original = sample()
    document = apply_discontinuous_policy(original, "drop", stats)
    assert [m.id for m in document.mentions] == ["0", "2", "3"]
    assert [r.id for r in document.relations] == ["R1"]
    assert len(original.mentions) == 4  # the input is not changed
    assert stats.discontinuous == {"drop": 1}
    assert stats.dropped == {"relation naming a dropped discontinuous mention": 1}
    with pytest.raises(ValueError, match="discontinuous must be one of"):
        apply_discontinuous_policy(original, "merge")


def test_validate_names_the_document_and_the_problem():
    document = sample()
    document.relations.append(Relation("R2", "x", {"Arg1": Argument.mention("9")}))
    with pytest.raises(ValueError, match="document 1: relation R2 argument Arg1 names a missing"):
        document.validate()
    document = sample()
    document.mentions.append(Mention("5", [(40, 99)], "Chemical", [], "?"))
    with pytest.raises(ValueError, match="mention 5 span 40-99 is empty or lies outside"):
        document.validate()
    document = sample()
    document.mentions.append(Mention("0", [(0, 6)], "Disease", [], "Ocular"))
    with pytest.raises(ValueError, match="two mentions have the id '0'"):
        document.validate()
    document = sample()
    document.text += "!"
    with pytest.raises(ValueError, match="its text goes on after its last passage"):
        document.validate()
    document = sample()
    document.text = "o" + document.text[1:]
    with pytest.raises(ValueError, match="not its passages' texts at their offsets"):
        document.validate()
    document = sample()
    document.text = document.text[: len(TITLE)] + "\n" + document.text[len(TITLE) + 1 :]
    document.validate()  # gaps may hold any whitespace


def test_statistics_count_merge_and_summarize():
    first, second = DocumentStatistics(), DocumentStatistics()
    first.count_document(apply_discontinuous_policy(sample(), "pieces", first))
    second.count_document(sample())
    second.drop("empty annotation location (length 0)", 2)
    second.text_mismatches += 1
    merged = DocumentStatistics().merge(first).merge(second)
    assert merged.documents == 2 and merged.passages == 4
    assert merged.mentions == {"Disease": 6, "Chemical": 2}
    assert merged.relations == {"treats": 2, "CID": 2}
    assert merged.relation_kinds == {"mention": 2, "concept": 2}
    assert (merged.mention_count, merged.relation_count) == (8, 4)
    assert merged.to_dict()["dropped"] == {"empty annotation location (length 0)": 2}
    summary = merged.summary()
    assert "2 documents" in summary and "mentions: 8 (Disease 6, Chemical 2)" in summary
    assert "multi-span mentions, by policy: pieces 1" in summary
    assert "dropped: empty annotation location (length 0) 2" in summary
