"""Which component category a BOM line is, read by the portal's own search understanding.

The description and the specification are read into parts as a directory query is
(`portal.search.understanding`): "Li-Po 4000mAh 3.85V" is a product (LiPo, a battery's word in
the thesaurus) and two quantities. Each part that names a category votes for it, a phrase of several words
a little more than one word (each word after the first adds half); description words count twice the specification's, a category reached only through a
related term counts half, and the part that ends the description's first phrase (its head noun:
the "mainboard" of "6L HDI mainboard") counts double. Quantities, certificates and places
describe a part without naming it, and words any supplier says decide nothing. Spelling is read as
written: a BOM speaks in part numbers and trade terms that a correction would only spoil, and a
line nothing names is left for the brand to choose.

The confidence is the winner's share of the line's naming words (support) times its margin over
the runner-up: (winner − runner-up) / winner. "3 of 4 words support Batteries, runner-up none"
gives 0.75; two categories with equal votes give 0.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from portal.search.understanding import OPTIONAL, TOKEN, understand
from portal.taxonomy import category_rows

DESCRIPTION_WEIGHT, SPECIFICATION_WEIGHT = 2.0, 1.0
RELATED_SHARE = 0.5
HEAD_BONUS = 2.0
PARTS_KEPT = 20_000
_PARTS: dict[tuple, tuple] = {}
_FIRST_PHRASE = re.compile(r"[,(;/\[]")


@dataclass(frozen=True)
class Reading:
    category: str | None
    confidence: float  # 0..1
    support: float  # the winner's share of the line's naming words
    runner_up: str | None
    words: tuple[str, ...]  # the line's words that supported the winner

    @property
    def evidence(self) -> str:
        return ", ".join(self.words)[:300]


def understood(text: str, thesaurus, lexicon) -> tuple:
    """The parts of a line's text, spelling as written (a BOM speaks in part numbers and trade
    terms a correction would only spoil). Kept for the process's life: a plan's pages read the same
    few hundred texts again for their certificates at every view."""
    key = (text, id(thesaurus), id(lexicon))
    parts = _PARTS.get(key)
    if parts is None:
        if len(_PARTS) >= PARTS_KEPT:
            _PARTS.clear()
        parts = _PARTS[key] = understand(text, thesaurus, lexicon, in_index=lambda term: False, correct=False).parts
    return parts


def description_key(description: str) -> str:
    """A description as the brand's remembered corrections are looked up: case, spacing and
    punctuation aside ("Screws M1.4x3" and "screws m1.4 x3" are one)."""
    return " ".join(re.findall(r"\w+", description.casefold()))[:300]


@cache
def _category_names() -> dict[str, str]:
    """Every way a file's category column may name a category: its slug, name and synonyms."""
    names = {}
    for row in category_rows():
        for name in (row["slug"], row["name"], *row["synonyms"].split("|")):
            names.setdefault(" ".join(name.casefold().split()), row["slug"])
    return names


def given_category(text: str) -> str | None:
    """The category a file's category column names, when it names one exactly."""
    return _category_names().get(" ".join((text or "").casefold().split())) if text else None


def read_line(description: str, specification: str, thesaurus, lexicon) -> Reading:
    """The category the line's words name, with its confidence; no category when none names one."""
    votes: dict[str, float] = defaultdict(float)
    words: dict[str, list[str]] = defaultdict(list)
    total = 0.0
    head = _FIRST_PHRASE.split(description, 1)[0]
    for text, weight in ((description, DESCRIPTION_WEIGHT), (specification, SPECIFICATION_WEIGHT)):
        if not text:
            continue
        parts = understood(text, thesaurus, lexicon)
        naming = [
            p for p in parts if p.weight != OPTIONAL and not (p.quantity or p.monthly or p.certification or p.province)
        ]
        last = _head_part(naming, head, thesaurus) if weight == DESCRIPTION_WEIGHT else None
        for part in naming:
            count = weight * _length(part.typed)
            total += count
            direct = {part.category} if part.category else set()
            found = direct or _reached(part, thesaurus)
            share = (1.0 if direct else RELATED_SHARE) * (HEAD_BONUS if part is last else 1.0) / max(1, len(found))
            for slug in found:
                votes[slug] += count * share
                words[slug].append(part.typed)
    if not votes:
        return Reading(None, 0.0, 0.0, None, ())
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
    winner, best = ranked[0]
    runner_up, second = ranked[1] if len(ranked) > 1 else (None, 0.0)
    support = min(1.0, best / total) if total else 0.0
    confidence = support * (best - second) / best
    return Reading(winner, round(confidence, 2), round(support, 2), runner_up, tuple(words[winner]))


def _length(typed: str) -> float:
    """A part's weight by its words: each word after the first adds half ("lithium polymer cell" 2)."""
    return 1 + 0.5 * (max(1, len(TOKEN.findall(typed))) - 1)


def _head_part(parts, head: str, thesaurus):
    """The last naming part inside the description's first phrase: in English, the head noun."""
    inside = [p for p in parts if p.typed in head and (p.category or _reached(p, thesaurus))]
    return inside[-1] if inside else None


def _reached(part, thesaurus) -> set[str]:
    """Categories a part reaches only through its equivalent or related terms."""
    found = {thesaurus.categories[p] for p in (*part.alternatives, *part.related) if p in thesaurus.categories}
    return found
