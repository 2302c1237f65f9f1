"""Text that reads the same to a person: one skeleton for firm names, one test for letters drawn
like Latin ones (e-mail addresses at sign-up).

`skeleton()` follows Unicode's confusable skeleton (UTS #39) in spirit with a small table of its
own: compatibility forms and accents fold away, case is ignored, Cyrillic and Greek letters drawn
like Latin ones and the digits 0 and 1 become the letters they pass for, spacing and punctuation
vanish, and a legal-form suffix ("(Pvt) Ltd", "Private Limited", "SMC-Private") is not part of
the name. Two names with one skeleton are the same name to a reader.
"""

import re
import unicodedata

# Cyrillic and Greek letters drawn exactly like a Latin one, and the Latin letter each passes for.
_LATIN_LOOKALIKES = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ԑ": "e",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x",
}  # fmt: skip
# Letters close enough to a Latin one to pass for it in a firm's name, though a word in its own
# alphabet may use them (so sign-up addresses are not judged by them).
_NEAR_LOOKALIKES = {
    "в": "b", "к": "k", "м": "m", "н": "h", "т": "t", "ь": "b", "п": "n", "г": "r",
    "η": "n", "μ": "u", "γ": "y", "ω": "w", "ζ": "z",
}  # fmt: skip
# Characters any script writes that read as a Latin letter in a name.
_READ_AS = {"0": "o", "1": "l", "|": "l", "ı": "i", "ł": "l", "ø": "o", "ي": "ی", "ى": "ی", "ك": "ک"}
_TABLE = str.maketrans({**_LATIN_LOOKALIKES, **_NEAR_LOOKALIKES, **_READ_AS})
# Letter pairs drawn like one letter, and letters drawn alike in many fonts (I, l).
_CLUSTERS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("l", "i"))

_LEGAL_FORMS = (
    "pvt", "private", "ltd", "limited", "smc", "co", "company", "corp", "corporation",
    "inc", "llc", "plc", "pte", "llp", "پرائیویٹ", "پرائیوٹ", "لمیٹڈ", "لمیٹیڈ",
)  # fmt: skip


def _folded(text: str) -> str:
    """Compatibility forms and accents folded away, look-alikes read as Latin (before case is
    folded: a Greek Μ passes for M, its small μ for u), case ignored."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFKC", bare).translate(_TABLE).casefold()


_LEGAL_FORM_WORDS = frozenset(_folded(word) for form in _LEGAL_FORMS for word in form.split())


def skeleton(name: str) -> str:
    """What `name` reads as: equal skeletons mean names a person cannot tell apart."""
    words = [w for w in re.split(r"[\W_]+", _folded(name)) if w]
    while len(words) > 1 and words[-1] in _LEGAL_FORM_WORDS:
        words.pop()
    text = "".join(words)
    for cluster, letter in _CLUSTERS:
        text = text.replace(cluster, letter)
    return text


def looks_latin(char: str) -> bool:
    """A Cyrillic or Greek letter drawn exactly like a Latin one (а for a, ο for o)."""
    return char in _LATIN_LOOKALIKES
