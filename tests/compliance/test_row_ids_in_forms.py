"""A hidden id in a form (the firm a case is opened against, the firm a need invites) that no id
column can hold is refused like a missing one, never sent to the database (which answered 500)."""

import pytest
from sqlalchemy import func, select

from portal.compliance.models import ComplianceCase
from portal.needs.models import NeedInvitation
from tests.factories import make_firm, make_need

BEYOND = ["99999999999999999999", "2147483648", "-5", "0", "1e3", "٣"]


@pytest.mark.parametrize("firm_id", BEYOND)
def test_opening_a_case_against_an_impossible_firm_id_opens_nothing(client, login, db, firm_id):
    make_firm()
    login("staff")
    response = client.post(
        "/staff/compliance/new", data={"firm_id": firm_id, "kind": "fake_certificate", "summary": "Forged ISO 9001"}
    )
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(ComplianceCase.id))) == 0


@pytest.mark.parametrize("firm_id", BEYOND)
def test_inviting_an_impossible_firm_id_invites_nobody(client, login, db, users, firm_id):
    need = make_need(users["brand"], "pcba")
    login("brand")
    response = client.post(f"/needs/{need.id}/invitations", data={"firm_id": firm_id})
    assert response.status_code in (302, 400, 404)
    assert db.session.scalar(select(func.count(NeedInvitation.id))) == 0
