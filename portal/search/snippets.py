"""Highlighted snippets: the words of the firm's own text that matched the query, marked."""

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
    analyzer = industry_analyzer(phrases)  # joins the same phrases the index does
    for part in ("capabilities", "description"):
        text = texts.get(part) or ""
        if text:
            marked = highlight.highlight(text, terms, analyzer, _FRAGMENTER, _FORMATTER, top=2)
            if "<mark" in marked:
                return marked
    return ""
