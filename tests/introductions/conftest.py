"""A public firm with two members, and a second brand and supplier who must not see its introductions."""

import pytest

from portal.extensions import db
from portal.suppliers.models import FirmMember, MemberRole
from tests.conftest import make_user
from tests.factories import make_firm


@pytest.fixture
def firm(app, users):
    firm = make_firm(
        "Lahore Boards (Pvt) Ltd",
        owner=users["supplier"],
        contact_email="sales@lahoreboards.example.pk",
        phone="+92 42 3575 1200",
        website="https://lahoreboards.example.pk",
        address="Plot 12, Sundar Industrial Estate",
        capabilities=[{"category": "pcba", "capacity": 20000}],
    )
    colleague = make_user("supplier", email="sana@lahoreboards.example.pk", full_name="Sana Iqbal")
    db.session.add(FirmMember(firm=firm, user=colleague, role=MemberRole.EDITOR))
    db.session.commit()
    return firm


@pytest.fixture
def colleague(firm):
    return next(m.user for m in firm.members if m.user.email.startswith("sana@"))


@pytest.fixture
def other_brand(app):
    return make_user("brand", email="buyer@rival.example", full_name="Rival Buyer", organisation="Rival Phones")


@pytest.fixture
def other_supplier(app):
    user = make_user("supplier", email="owner@karachicables.example.pk", full_name="Karachi Owner")
    make_firm("Karachi Cables", owner=user, city="Karachi", province="Sindh", capabilities=[{"category": "cable"}])
    return user
