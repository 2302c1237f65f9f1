from sqlalchemy import text

from portal import audit
from portal.audit.models import AuditEntry
from tests.factories import make_firm


def _three_entries(users):
    firm = make_firm(owner=users["supplier"])
    for action in ("firm.submit", "firm.verify", "firm.suspended"):
        audit.record(action, firm, actor=users["staff"], before={"x": 1}, after={"x": 2}, firm_id=firm.id)
    audit.db.session.commit()
    return firm


def test_intact_chain_verifies(app, users):
    _three_entries(users)
    assert audit.verify_chain() == []


def test_a_changed_entry_is_detected(app, users, db):
    _three_entries(users)
    db.session.execute(text("UPDATE audit_entry SET note = 'nothing to see' WHERE sequence = 2"))
    db.session.commit()
    problems = audit.verify_chain()
    assert any("entry 2" in p and "changed" in p for p in problems)


def test_a_deleted_entry_is_detected(app, users, db):
    _three_entries(users)
    db.session.execute(text("DELETE FROM audit_entry WHERE sequence = 2"))
    db.session.commit()
    assert any("entry 2 is missing" in p for p in audit.verify_chain())


def test_a_deleted_newest_entry_is_detected(app, users, db):
    _three_entries(users)
    db.session.execute(text("DELETE FROM audit_entry WHERE sequence = 3"))
    db.session.commit()
    assert any("newest entries are missing" in p for p in audit.verify_chain())


def test_entries_roll_back_with_the_act(app, users, db):
    firm = make_firm()
    audit.record("firm.verify", firm, firm_id=firm.id)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0
    audit.record("firm.verify", firm, firm_id=firm.id)
    db.session.commit()
    assert audit.verify_chain() == []
