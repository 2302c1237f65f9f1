"""Templates ask the models what a stored status means (`intro.is_declined`, `need.status.is_draft`,
`current.badge`) instead of comparing it to a literal string, so each rule is written once, in
Python, where a renamed status cannot silently stop matching."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# A stored value compared to a literal: `x.status.value == 'open'`, `stage in ('a', 'b')`,
# `notice.status == 'under_review'`, `state != 'draft'`.
COMPARISON = re.compile(
    r"(?:\.value|\b(?:status|stage|state|current|kind|role|visibility|mapping_source))"
    r"\s*(?:==|!=|\bnot in\b|\bin\b)\s*[\'\"(\[]"
    # ... or looked up in a dictionary the template writes out by value: `styles[state.value]`.
    r"|\[[\w.]+\.value\]"
)
# Comparisons allowed: a filter form marking the option the person chose as `selected`; the
# value is the submitted query string, not a stored status (introductions' "Open" option is a
# group of stages, not one of them).
ALLOWED = {
    ("introductions/index.html", "{% if stage == 'open' %} selected"),
}
# Not stored statuses: the dashboard's column kinds say how a figure is formatted.
FORMATTING = {"dashboard/_tables.html"}


def literal_comparisons(root: Path = TEMPLATES) -> list[str]:
    """Every `file:line: text` where a template compares a status, stage or kind to a literal."""
    found = []
    for path in sorted(root.rglob("*.html")):
        name = path.relative_to(root).as_posix()
        if name in FORMATTING:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not COMPARISON.search(line):
                continue
            if any(name == allowed and snippet in line for allowed, snippet in ALLOWED):
                continue
            found.append(f"templates/{name}:{number}: {line.strip()}")
    return found


def test_templates_ask_the_models_instead_of_comparing_statuses_to_strings():
    found = literal_comparisons()
    assert not found, "ask the model (or its enum) instead of comparing to a literal:\n" + "\n".join(found)


def test_the_check_finds_a_literal_comparison(tmp_path):
    (tmp_path / "needs").mkdir()
    (tmp_path / "needs" / "show.html").write_text(
        "<p>\n{% if need.status.value == 'open' %}x{% endif %}\n{% if notice.status == 'under_review' %}y{% endif %}\n"
        '<span class="badge text-bg-{{ styles[need.status.value] }}">\n'
    )
    assert [entry.split(": ")[0] for entry in literal_comparisons(tmp_path)] == [
        "templates/needs/show.html:2",
        "templates/needs/show.html:3",
        "templates/needs/show.html:4",
    ]
