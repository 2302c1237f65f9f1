"""Highlighted snippets: the words of the firm's own text that matched the query, marked."""

from functools import lru_cache

from whoosh import highlight

from portal.search.analysis import industry_analyzer

_FRAGMENTER = highlight.ContextFragmenter(maxchars=220, surround=60)
_FORMATTER = highlight.HtmlFormatter(tagname="mark", between=" … ", classname="hl", termclass="t")


def query_terms(query) -> set[str]:
    found = set()
    for _field, text in query.iter_all_terms(phrases=True):
        found.add(text.decode() if isinstance(text, bytes) else text)
    return found


def snippet(texts: dict[str, str], query, phrases: frozenset) -> str:
    """Up to two marked fragments (HTML-escaped, with <mark>) from what the firm makes or writes."""
    terms = query_terms(query)
    if not terms:
        return ""
    return _marked(texts.get("capabilities") or "", texts.get("description") or "", frozenset(terms), phrases)


@lru_cache(maxsize=2048)
def _marked(capabilities: str, description: str, terms: frozenset, phrases: frozenset) -> str:
    """Highlighting re-analyses the text and costs most of a results page, while popular searches
    repeat: the result depends only on these arguments (the texts themselves, so an edit to a firm
    is a new key), so it is kept for the next page that asks."""
    analyzer = industry_analyzer(phrases)  # joins the same phrases the index does
    for text in (capabilities, description):
        if text:
            marked = highlight.highlight(text, terms, analyzer, _FRAGMENTER, _FORMATTER, top=2)
            if "<mark" in marked:
                return marked
    return ""
