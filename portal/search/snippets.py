"""Highlighted snippets: the sentences or capability lines of the firm's own text where the
query's words (or their synonyms) hit, whole words marked, at most two of them."""

import re
from functools import lru_cache

from markupsafe import escape

from portal.search.analysis import industry_analyzer

MAX_FRAGMENTS = 2
MAX_CHARS = 200  # a longer sentence is cut to a window around its first hit
MARKED_KEPT = 4096  # snippets kept per process: the pages of some two hundred answers
SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?](?![\w])|(?=\n)|$)|[.!?]")  # keeps "3.85V" and "0.4 mm" whole


def query_terms(query) -> set[str]:
    found = set()
    for _field, text in query.iter_all_terms(phrases=True):
        found.add(text.decode() if isinstance(text, bytes) else text)
    return found


def snippet(texts: dict[str, str], terms, phrases: frozenset) -> str:
    """Up to two marked fragments (HTML-escaped, with <mark>) from what the firm makes or writes."""
    if not terms:
        return ""
    return _marked(texts.get("capabilities") or "", texts.get("description") or "", frozenset(terms), phrases)


@lru_cache(maxsize=MARKED_KEPT)
def _marked(capabilities: str, description: str, terms: frozenset, phrases: frozenset) -> str:
    """Highlighting re-analyses the text and costs most of a fresh answer. Whole answers are kept
    (search.service) until the index changes; these outlive that, so after a change to one firm
    the answers made again find the other firms' snippets here, as they do for the same firm under
    the same words in another filter or sort. The result depends only on these arguments (the
    texts themselves, so an edit to a firm is a new key)."""
    analyzer = industry_analyzer(phrases)  # joins the same phrases the index does
    candidates = []  # (distinct terms hit, -position, text, hit spans)
    position = 0
    for text in (capabilities, description):
        for unit in _units(text):
            spans, hit = analyzer.spans(unit, terms)
            if spans:
                candidates.append((len(hit), -position, unit, spans))
            position += 1
    best = sorted(candidates, reverse=True)[:MAX_FRAGMENTS]
    best.sort(key=lambda item: -item[1])  # in the order the firm wrote them
    return " … ".join(_fragment(unit, spans) for _hits, _position, unit, spans in best)


def _units(text: str):
    """Capability lines and sentences, stripped."""
    for line in text.splitlines():
        for match in SENTENCE.finditer(line):
            unit = match.group(0).strip()
            if len(unit) > 1:
                yield unit


def _fragment(unit: str, spans: list[tuple[int, int]]) -> str:
    spans = _merged(spans)
    start, end = 0, len(unit)
    if end > MAX_CHARS:
        first = spans[0][0]
        start = max(0, first - MAX_CHARS // 3)
        start = unit.rfind(" ", 0, start) + 1 if start else 0
        end = min(len(unit), start + MAX_CHARS)
        if end < len(unit):
            end = unit.rfind(" ", start, end) if unit.rfind(" ", start, end) > start else end
    pieces, last = [], start
    for left, right in spans:
        if left < start or right > end:
            continue
        pieces.append(str(escape(unit[last:left])))
        pieces.append(f'<mark class="hl">{escape(unit[left:right])}</mark>')
        last = right
    pieces.append(str(escape(unit[last:end])))
    return ("…" if start else "") + "".join(pieces) + ("…" if end < len(unit) else "")


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping marks (a phrase and its words) as one."""
    merged: list[list[int]] = []
    for left, right in sorted(spans):
        if merged and left <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], right)
        else:
            merged.append([left, right])
    return [(left, right) for left, right in merged]
