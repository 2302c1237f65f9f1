"""The Urdu catalogue: every English message has a translation with the same placeholders, and
names and figures put into Urdu sentences keep their own direction."""

from portal import catalogue
from tests.core.test_translations import extracted_messages


def test_every_message_has_an_urdu_translation_with_the_same_placeholders():
    problems = catalogue.problems(extracted_messages())
    assert not problems, "run `make translations` and translate:\n" + "\n".join(map(str, problems[:40]))


def test_the_check_names_missing_translations_and_placeholder_mismatches(tmp_path, monkeypatch):
    po = tmp_path / "ur" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ur\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Sign in"\nmsgstr ""\n\n'
        'msgid "Case #%(id)s"\nmsgstr "کیس #%(number)s"\n\n'
        'msgid "%(num)d day"\nmsgid_plural "%(num)d days"\nmsgstr[0] "%(num)d دن"\nmsgstr[1] "دن"\n\n'
        'msgid "Phase %(n)s"\nmsgstr "مرحلہ \u2068%(n)s\u2069"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogue, "TRANSLATIONS", tmp_path)
    found = {
        (p.message, p.reason.split(":")[0])
        for p in catalogue.problems({"Sign in", "Case #%(id)s", "%(num)d day", "Phase %(n)s", "New"})
    }
    assert found == {
        ("Sign in", "no translation"),
        ("Case #%(id)s", "placeholders differ"),
        ("%(num)d day", "placeholders differ"),
        ("New", "not in the catalogue (run `make translations`)"),
    }


def test_placeholders_of_urdu_translations_are_isolated_once():
    once = catalogue.isolate("%(firm)s کی تصدیق ہو گئی")
    assert once == "\u2068%(firm)s\u2069 کی تصدیق ہو گئی"
    assert catalogue.isolate(once) == once


def test_translations_use_the_glossary_terms():
    problems = catalogue.glossary_problems()
    assert not problems, "\n".join(map(str, problems[:40]))
