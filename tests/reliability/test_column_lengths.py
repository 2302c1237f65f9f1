"""Text never reaches the database longer than its column: forms and the API check lengths, text
derived from longer text (a subject built from a title) is cut where it is made, and every flush
refuses what slipped through, on SQLite as PostgreSQL does, naming the column."""

import pytest
from sqlalchemy import Enum, String

from portal.extensions import TextTooLong, db
from portal.notifications.models import Notification
from tests.factories import make_firm


def string_columns():
    for mapper in db.Model.registry.mappers:
        for attr in mapper.column_attrs:
            column_type = attr.columns[0].type
            if isinstance(column_type, String) and not isinstance(column_type, Enum) and column_type.length:
                yield mapper.class_, attr.key, column_type.length


def test_every_string_column_refuses_one_character_beyond_its_maximum_before_any_sql(app):
    walked = 0
    for model, key, length in string_columns():
        row = model()
        setattr(row, key, "x" * (length + 1))
        db.session.add(row)
        with pytest.raises(TextTooLong, match=rf"{model.__name__}\.{key} holds {length + 1} characters"):
            db.session.flush()
        db.session.rollback()
        walked += 1
    assert walked > 50


def test_a_need_with_the_longest_title_is_published_with_its_notices(app, users):
    from tests.api.conftest import post_charger_need

    make_firm(
        owner=users["supplier"],
        capabilities=[{"category": "charger", "capacity": 80000}],
        certificates=[{"type": "iso-9001"}],
    )
    users["brand"].organisation = "O" * 160
    need = post_charger_need(users["brand"], title="T" * 200)
    assert need.status.value == "open"
    [notice] = db.session.scalars(db.select(Notification))
    assert len(notice.subject) == 200 and notice.subject.endswith("…")


def test_a_firm_with_the_longest_names_is_asked_for_an_introduction(client, login, users):
    firm = make_firm("L" * 200, trade_name="N" * 200, owner=users["supplier"])
    users["brand"].organisation = "O" * 160
    db.session.commit()
    login("brand")
    response = client.post(f"/introductions/ask/{firm.id}", data={"message": "We would like to talk. " * 20})
    assert response.status_code == 302
    [notice] = db.session.scalars(db.select(Notification).where(Notification.kind == "intro_request"))
    assert len(notice.subject) <= 200
