from allennlp_bioelmo.data.dataset_readers import document_tagging
from allennlp_bioelmo.data.dataset_readers.document_tagging import (
    CROSSES_PASSAGE,
    NO_TOKEN,
    OVERLAPPING,
    passage_sentence_spans,
    sentence_spans,
    tag,
    tag_document,
    tokenize_sentence,
)
from allennlp_bioelmo.data.tokenizers.bio_sentence_splitter import BioSentenceSplitter
from allennlp_bioelmo.documents import Document, Mention, Passage

TITLE = "BRCA1 and breast cancer"
ABSTRACT = "Mutations were seen. Cisplatin helped."
TEXT = f"{TITLE} {ABSTRACT}"
PASSAGES = [Passage(0, TITLE, "title"), Passage(len(TITLE) + 1, ABSTRACT, "abstract")]


def mention(mention_id, start, end, mention_type="X", spans=None):
    return Mention(mention_id, spans or [(start, end)], mention_type)


def test_the_one_mention_type_is_the_document_models():
    assert document_tagging.Mention is Mention


def test_sentence_spans_on_plain_text_as_before():
    # plain text, passages unknown: the title has no final period, so it runs into the abstract
    spans, removed = sentence_spans(TEXT, [], BioSentenceSplitter())
    assert [TEXT[s:e] for s, e in spans] == [f"{TITLE} Mutations were seen.", "Cisplatin helped."]
    crossing = mention("0", TEXT.index("seen"), TEXT.index("helped"))
    spans, removed = sentence_spans(TEXT, [crossing], BioSentenceSplitter())
    assert (len(spans), removed) == (1, 1)


def test_passages_are_split_on_their_own():
    spans, removed = passage_sentence_spans(TEXT, [], BioSentenceSplitter(), PASSAGES)
    assert [TEXT[s:e] for s, e in spans] == [TITLE, "Mutations were seen.", "Cisplatin helped."]
    assert removed == 0
    # a passage of type "sentence" is one sentence, whatever the splitter would say
    sentence = [Passage(0, "One. Two.", "sentence")]
    assert passage_sentence_spans("One. Two.", [], BioSentenceSplitter(), sentence)[0] == [(0, 9)]


def test_tag_counts_every_mention_with_its_reason():
    start = TEXT.index("breast")
    mentions = [
        mention("0", 0, 5, "Gene"),
        mention("1", start, start + 13, "Disease"),
        mention("2", start, start + 6, "Tissue"),  # nested in "breast cancer"
        mention("3", start + 7, TEXT.index("were"), "Y"),  # from the title into the abstract
        mention("4", len(TITLE), len(TITLE) + 1, "Z"),  # the space between the passages
    ]
    document = Document("d", TEXT, PASSAGES, mentions)
    sentences, counts = tag(document)
    assert [s.tags for s in sentences][0] == ["B-Gene", "O", "B-Disease", "I-Disease"]
    assert (counts.read, counts.placed, counts.dropped) == (5, 2, 3)
    assert counts.dropped_per_type() == {
        "Tissue": {OVERLAPPING: 1},
        "Y": {CROSSES_PASSAGE: 1},
        "Z": {NO_TOKEN: 1},
    }
    # without passages (the old call), the title runs into the abstract and "cancer Mutations"
    # is placed
    sentences, counts = tag_document(TEXT, mentions)
    assert counts.crossing_passage == 0 and counts.per_type["Y"] == 1


def test_a_mention_with_several_spans_is_tagged_over_its_covering_span():
    gappy = mention("0", 0, 0, "X", spans=[(0, 5), (16, 23)])
    sentences, counts = tag_document(TITLE, [gappy])
    assert sentences[0].tags == ["B-X", "I-X", "I-X", "I-X"]


def test_mention_boundaries_are_token_boundaries():
    tokens = tokenize_sentence("BRCA1mutation", 0, 13, [mention("0", 0, 5)])
    assert [t.text for t in tokens] == ["BRCA1", "mutation"]
