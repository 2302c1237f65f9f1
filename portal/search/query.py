"""From what a person typed to a Whoosh query: syntax when it is well-formed, plain words when
it is not, and every term widened through the thesaurus.
"""

import re

from whoosh import qparser
from whoosh import query as wq
from whoosh.spelling import ListCorrector

from portal.search.analysis import normalize_query, phrase_term, plain_analyzer
from portal.search.documents import build_schema
from portal.search.thesaurus import Thesaurus

PARSE_FIELD = "text"
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
WORD = re.compile(r"[^\W_][\w.,'’-]*")


def _parser() -> qparser.QueryParser:
    parser = qparser.QueryParser(PARSE_FIELD, build_schema())
    for plugin in (qparser.FieldsPlugin, qparser.RangePlugin, qparser.BoostPlugin, qparser.EveryPlugin):
        parser.remove_plugin_class(plugin)
    return parser


_PARSER = _parser()


def is_well_formed(text: str) -> bool:
    """Balanced quotes and brackets, and no operator without a word on each side."""
    if text.count('"') % 2 or text.count("(") != text.count(")"):
        return False
    tokens = re.findall(r'"[^"]*"|[()]|[^\s()"]+', text)
    words = [t for t in tokens if t not in "()"]
    for index, token in enumerate(words):
        if token in OPERATORS:
            before = words[index - 1] if index > 0 else None
            after = words[index + 1] if index + 1 < len(words) else None
            if token == "NOT" and after is not None and after not in OPERATORS:
                continue
            if before is None or after is None or before in OPERATORS or after in OPERATORS:
                return False
    return True


def has_syntax(text: str) -> bool:
    """Quotes, brackets or AND/OR/NOT, correctly written: the person means them exactly."""
    if not is_well_formed(text):
        return False
    return '"' in text or "(" in text or any(token in OPERATORS for token in text.split())


def plain_words(text: str) -> str:
    return " ".join(w for w in WORD.findall(text) if w not in OPERATORS)


def indexed_phrases(searcher) -> frozenset:
    """The thesaurus phrases this index generation holds as single terms."""
    return getattr(searcher.schema["text"].analyzer, "phrases", frozenset())


def parse(text: str, thesaurus: Thesaurus, phrases: frozenset = frozenset()) -> wq.Query | None:
    """The weighted, thesaurus-widened query for `text`; None when it has no searchable word."""
    text = normalize_query(text.strip())
    if not text:
        return None
    if not is_well_formed(text):
        text = plain_words(text)
    try:
        parsed = _PARSER.parse(text)
    except Exception:  # the parser is lenient, but a person's typing must never become an error
        parsed = _PARSER.parse(plain_words(text))
    if parsed is None or parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
        return None
    return _expand(parsed, thesaurus, phrases)


def _alternative(words: tuple[str, ...], phrases: frozenset) -> wq.Query:
    if len(words) == 1:
        return wq.Term(PARSE_FIELD, words[0])
    if words in phrases:
        return wq.Term(PARSE_FIELD, phrase_term(words))
    return wq.Phrase(PARSE_FIELD, list(words), slop=1)


def _widened(words: tuple[str, ...], thesaurus: Thesaurus, phrases: frozenset) -> wq.Query:
    alternatives = sorted(thesaurus.expand(words))
    if len(alternatives) == 1:
        return _alternative(alternatives[0], phrases)
    return wq.Or([_alternative(a, phrases) for a in alternatives])


def _expand(node: wq.Query, thesaurus: Thesaurus, phrases: frozenset) -> wq.Query:
    """Replace terms and runs of terms that the thesaurus knows with an OR of their equivalents."""
    if isinstance(node, wq.Term) and node.fieldname == PARSE_FIELD:
        return _widened((node.text,), thesaurus, phrases)
    if isinstance(node, wq.Phrase):
        return _widened(tuple(node.words), thesaurus, phrases)
    if isinstance(node, wq.And | wq.Or):
        return type(node)(_expand_run(list(node.subqueries), thesaurus, phrases), boost=node.boost)
    if isinstance(node, wq.Not):
        return wq.Not(_expand(node.query, thesaurus, phrases))
    if isinstance(node, wq.AndNot | wq.AndMaybe):
        return type(node)(_expand(node.a, thesaurus, phrases), _expand(node.b, thesaurus, phrases))
    return node


def _expand_run(children: list[wq.Query], thesaurus: Thesaurus, phrases: frozenset) -> list[wq.Query]:
    """Within one AND/OR group, the longest run of consecutive terms that forms a known phrase wins."""
    result, index = [], 0
    while index < len(children):
        for length in range(min(thesaurus.longest, len(children) - index), 1, -1):
            run = children[index : index + length]
            if all(isinstance(c, wq.Term) and c.fieldname == PARSE_FIELD for c in run):
                words = tuple(c.text for c in run)
                if words in thesaurus.alternatives:
                    result.append(_widened(words, thesaurus, phrases))
                    index += length
                    break
        else:
            result.append(_expand(children[index], thesaurus, phrases))
            index += 1
    return result


def suggestion(text: str, words: list[str], known: frozenset) -> str | None:
    """A corrected query when some word of `text` appears in no firm's text ("did you mean")."""
    corrector = ListCorrector(words)
    changed, pieces, last = False, [], 0
    for token in plain_analyzer()(text, chars=True):
        word = token.text.lower()
        if not word.isalpha() or len(word) < 4 or token.text in OPERATORS or word in known:
            continue
        found = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
        if found and found[0] != word:
            pieces.append(text[last : token.startchar] + found[0])
            last, changed = token.endchar, True
    return ("".join(pieces) + text[last:]) if changed else None
