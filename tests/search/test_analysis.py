"""How text becomes terms: the same for profiles and queries, phrases included."""

import pickle

import pytest
from whoosh import formats

from portal.search.analysis import IndustryAnalyzer, industry_analyzer, section, terms
from portal.search.documents import build_schema


def tokens(analyzer, text):
    return [(t.text, text[t.startchar : t.endchar]) for t in analyzer(text, chars=True)]


def test_numbers_units_and_spellings_meet_on_one_term():
    assert terms("10,000 mAh") == terms("10000mAh") == ["10000mah"]
    assert terms("two-layer boards") == terms("2 layers boards")
    assert terms("moulded colour") == terms("molded color")


def test_phrases_are_also_indexed_as_one_term_with_the_span_of_their_words():
    phrases = frozenset({("inject", "mold"), ("inject", "mold", "machin"), ("surfac", "mount")})
    analyzer = IndustryAnalyzer(phrases=phrases)
    text = "Injection moulding machines and surface mount lines; injection only"
    found = tokens(analyzer, text)
    assert ("inject_mold", "Injection moulding") in found
    assert ("inject_mold_machin", "Injection moulding machines") in found
    assert ("surfac_mount", "surface mount") in found
    assert [term for term, _ in found].count("inject") == 2  # the lone "injection" starts no phrase


def test_one_analyzer_per_phrase_set_keeps_its_stems():
    phrases = frozenset({("inject", "mold")})
    assert industry_analyzer(phrases) is industry_analyzer(phrases)
    assert industry_analyzer(phrases) is not industry_analyzer(frozenset())


WEIGHED_TEXTS = {
    "sections": f"{section(3)}Ravi Moulders{section(2)}Injection moulding: the moulds, 2 layers{section(1)}Moulds",
    "stop-words-and-numbers": "We make 10,000 mAh and 5W-65W chargers for the phones of the phones, two-layer boards",
    "urdu": section(1) + "بیٹری اور چارجر، بيٹری",
    "unmarked": "surface mount surface mount injection moulding machines",
}


@pytest.mark.parametrize("text", WEIGHED_TEXTS.values(), ids=list(WEIGHED_TEXTS))
def test_the_indexed_text_holds_the_postings_whoosh_would_write_from_the_analyzer(text):
    phrases = frozenset({("inject", "mold"), ("inject", "mold", "machin"), ("surfac", "mount")})
    field = build_schema(phrases)["text"]
    expected = formats.Positions().word_values(text, field.analyzer, mode="index")
    assert sorted(field.index(text)) == sorted((term.encode(), *rest) for term, *rest in expected)


@pytest.mark.parametrize("text", WEIGHED_TEXTS.values(), ids=list(WEIGHED_TEXTS))
def test_highlighting_marks_the_spans_the_analyzer_gives_the_wanted_terms(text):
    analyzer = IndustryAnalyzer(
        phrases=frozenset({("inject", "mold"), ("inject", "mold", "machin"), ("surfac", "mount")})
    )
    wanted = frozenset({"inject_mold", "inject_mold_machin", "surfac_mount", "mold", "10000mah", "2layer", "بیٹری"})
    marked = [(t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True) if t.text in wanted]
    spans, hit = analyzer.spans(text, wanted)
    assert spans == [(start, end) for start, end, _ in marked]
    assert hit == {term for _, _, term in marked}
    assert spans  # each text holds one of them


def test_each_reading_of_the_schema_shares_one_phrase_set():
    """Every index change reads the schema's analyzer afresh; snippets and analyzers are kept per
    phrase set, and an equal set that is another object is compared phrase by phrase each time."""
    written = pickle.dumps(IndustryAnalyzer(phrases=frozenset({("surfac", "mount"), ("inject", "mold")})))

    first, second = pickle.loads(written), pickle.loads(written)  # noqa: S301 - our own bytes

    assert first.phrases is second.phrases
    assert first.phrases == {("surfac", "mount"), ("inject", "mold")}
