"""Text made fit for where it is stored or sent: one line for subjects and headers, cut to a
column's length where it is derived from longer text (a need's title inside a subject)."""

import re

ELLIPSIS = "…"
# Every character that breaks a line or is not text: CR, LF, tabs, NEL, line and paragraph
# separators and other control characters (a header cannot hold them; a subject should not).
_NOT_ONE_LINE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str | None, max_length: int | None = None) -> str:
    """`text` on one line, runs of whitespace and control characters as one space, cut to
    `max_length` characters (the last one an ellipsis) when longer."""
    return fit(_NOT_ONE_LINE.sub(" ", text or "").strip(), max_length)


def fit(text: str, max_length: int | None) -> str:
    """`text` cut to `max_length` characters, ending with an ellipsis when it was cut."""
    if max_length is None or len(text) <= max_length:
        return text
    return text[: max_length - 1].rstrip() + ELLIPSIS


def column_length(column) -> int | None:
    """The declared length of a String column (a model attribute such as `Notification.subject`)."""
    return getattr(column.property.columns[0].type, "length", None)
