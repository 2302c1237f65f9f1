"""How text becomes terms: the same for profiles and queries, phrases included."""

from portal.search.analysis import IndustryAnalyzer, industry_analyzer, terms


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
