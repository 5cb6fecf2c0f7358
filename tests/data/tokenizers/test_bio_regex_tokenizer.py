from allennlp.data.tokenizers import Tokenizer
from allennlp.common import Params

from allennlp_bioelmo.data.tokenizers import BioRegexTokenizer, BioSentenceSplitter


def texts(tokens):
    return [t.text for t in tokens]


def test_splits_punctuation_brackets_slashes_and_hyphens():
    tokens = BioRegexTokenizer().tokenize("IL-2 (10 mg/kg) in BRCA1-associated tumours; p<0.05.")
    assert texts(tokens) == [
        "IL",
        "-",
        "2",
        "(",
        "10",
        "mg",
        "/",
        "kg",
        ")",
        "in",
        "BRCA1",
        "-",
        "associated",
        "tumours",
        ";",
        "p",
        "<",
        "0.05",
        ".",
    ]


def test_keeps_decimals_and_greek_letters_and_offsets():
    text = "TNFα and β2-microglobulin rose 1,024-fold to 3.5 mM"
    tokens = BioRegexTokenizer().tokenize(text)
    assert texts(tokens) == [
        "TNFα",
        "and",
        "β2",
        "-",
        "microglobulin",
        "rose",
        "1,024",
        "-",
        "fold",
        "to",
        "3.5",
        "mM",
    ]
    assert all(text[t.idx : t.idx_end] == t.text for t in tokens)


def test_forced_splits_inside_a_token():
    text = "BRCA1mutation carriers"
    tokens = BioRegexTokenizer().tokenize_span(text, 0, len(text), split_at=[5])
    assert [(t.text, t.idx, t.idx_end) for t in tokens] == [
        ("BRCA1", 0, 5),
        ("mutation", 5, 13),
        ("carriers", 14, 22),
    ]


def test_registered_and_lowercase():
    tokenizer = Tokenizer.from_params(Params({"type": "bio_regex", "lowercase": True}))
    tokens = tokenizer.tokenize("The BRCA1")
    assert texts(tokens) == ["the", "brca1"] and tokens[1].idx == 4


def test_sentence_splitter_keeps_abbreviations_and_offsets():
    text = "Smith et al. reported it. The p53 level was 0.5 mg. Fig. 2 shows (A) results! Next?"
    spans = BioSentenceSplitter().split_offsets(text)
    assert [text[s:e] for s, e in spans] == [
        "Smith et al. reported it.",
        "The p53 level was 0.5 mg.",
        "Fig. 2 shows (A) results!",
        "Next?",
    ]
