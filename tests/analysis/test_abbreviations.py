"""Schwartz & Hearst (2003) on the paper's examples and on each of its rules."""

import pytest

from allennlp_bioelmo.analysis.abbreviations import (
    best_long_form_start,
    find_abbreviations,
    is_short_form_candidate,
    normalize_long_form,
)


def pairs(text):
    return [(d.short_form, d.long_form) for d in find_abbreviations(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the paper's running example, both patterns
        (
            "Heat shock transcription factor (HSF) binds DNA.",
            ("HSF", "Heat shock transcription factor"),
        ),
        (
            "HSF (heat shock transcription factor) binds DNA.",
            ("HSF", "heat shock transcription factor"),
        ),
        # the shortest long form: matching stops at the first word that can start it
        ("the response to tumour necrosis factor (TNF) was low", ("TNF", "tumour necrosis factor")),
        # digits and inner punctuation of the short form
        ("levels of interleukin 2 (IL-2) rose", ("IL-2", "interleukin 2")),
        ("serum 5-hydroxytryptamine (5-HT) fell", ("5-HT", "5-hydroxytryptamine")),
        # the parenthesis cut at "; " / ", "
        ("the tumour necrosis factor (TNF; ref. 3) gene", ("TNF", "tumour necrosis factor")),
        # whitespace-tokenized text
        ("the estrogen receptor ( ER ) binds", ("ER", "estrogen receptor")),
        ("T - cell receptor ( TCR ) signals", ("TCR", "T - cell receptor")),
    ],
)
def test_definitions_found(text, expected):
    assert pairs(text) == [expected]


def test_offsets_point_into_the_text():
    text = "We saw that heat shock transcription factor (HSF) binds."
    (definition,) = find_abbreviations(text)
    assert text[slice(*definition.short_span)] == "HSF"
    assert text[slice(*definition.long_span)] == "heat shock transcription factor"


def test_two_definitions_in_one_sentence():
    text = "progesterone receptor (PR) and androgen receptor (AR) were measured"
    assert pairs(text) == [("PR", "progesterone receptor"), ("AR", "androgen receptor")]


@pytest.mark.parametrize(
    "text, why",
    [
        ("a receptor (ER) was seen", "E must match the first letter of a word"),
        ("in 3 cases (p < 0.05) it failed", "the letters and digits cannot all be matched"),
        ("cells (see Fig. 2) were grown", "more than two words: the word before has no capital"),
        ("alpha as one of the other beta (AB)", "6 words > min(2 + 5, 2 * 2)"),
        ("the gene (g) was", "a one-character short form"),
        ("the gene (1998) was", "no letter"),
        ("the level (-ER) rose", "the first character is not a letter or digit"),
        ("the ER (ER) gene", "the long form holds the short form as a word"),
    ],
)
def test_rejected(text, why):
    assert pairs(text) == [], why


def test_short_form_candidates():
    assert is_short_form_candidate("ER")
    assert is_short_form_candidate("NF kappaB")
    assert not is_short_form_candidate("a b c")
    assert not is_short_form_candidate("ABCDEFGHIJK")  # 11 characters


def test_matching_right_to_left():
    candidate = "the heat shock transcription factor"
    assert candidate[best_long_form_start("HSF", candidate) :] == "heat shock transcription factor"
    assert best_long_form_start("XYZ", candidate) is None


def test_long_forms_compared_case_and_hyphen_insensitively():
    assert normalize_long_form("Estrogen  Receptor") == "estrogen receptor"
    assert normalize_long_form("T - cell receptor") == normalize_long_form("T-cell Receptor")
    assert normalize_long_form("T cell receptor") == "t cell receptor"
