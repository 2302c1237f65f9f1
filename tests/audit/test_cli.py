"""`flask audit verify`: exit 0 on an intact chain, 1 naming each entry that was tampered with."""

from sqlalchemy import text

from portal import audit
from tests.factories import make_firm


def _entries(users, db, count=3):
    firm = make_firm()
    for n in range(count):
        audit.record("firm.note", firm, actor=users["staff"], after={"n": n}, firm_id=firm.id)
    db.session.commit()


def test_intact_chain_exits_0(app, users, db):
    _entries(users, db)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Audit chain intact: 3 entries, 0 checkpoints agree.\n"
    assert "Checking audit entries" in result.stderr  # the progress bar stays off stdout


def test_an_empty_trail_is_intact(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "Audit chain intact: 0 entries, 0 checkpoints agree." in result.stdout


def test_a_row_changed_with_raw_sql_exits_1_naming_the_entry(app, users, db):
    _entries(users, db)
    db.session.execute(text("UPDATE audit_entry SET after = '{\"n\": 99}' WHERE sequence = 2"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert result.stdout == "entry 2 (firm.note) was changed after it was written\n"


def test_a_deleted_row_exits_1(app, users, db):
    _entries(users, db)
    db.session.execute(text("DELETE FROM audit_entry WHERE sequence = 2"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 2 is missing" in result.stdout and "intact" not in result.stdout
