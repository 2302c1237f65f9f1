"""Merging duplicate firms and undoing it: what moves, what stays, who may, and the search index."""

import pytest
from sqlalchemy import select

from portal import search
from portal.audit import verify_chain
from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.suppliers import merging
from portal.suppliers.models import Capability, Certificate, Firm, FirmMember
from tests.factories import make_capability, make_certificate, make_firm, make_user


@pytest.fixture
def pair(app):
    """The same firm twice: the kept record is verified, the duplicate came from an import."""
    owner = make_user("supplier", email="owner@indus.pk")
    kept = make_firm("Indus Moulds", owner=owner, website="", description="Moulds.")
    make_capability(kept, "housing-plastic", capacity=20000)
    duplicate = make_firm(
        "Indus Moulds (Pvt) Ltd", website="https://indusmoulds.pk", description="Injection moulds and housings."
    )
    make_capability(duplicate, "housing-plastic", capacity=15000)
    make_capability(duplicate, "packaging", capacity=5000)
    make_certificate(duplicate, "iso-9001")
    db.session.add(FirmMember(firm=duplicate, user=make_user("supplier", email="sales@indus.pk"), role="editor"))
    db.session.add(FirmMember(firm=duplicate, user=owner, role="owner"))
    db.session.commit()
    return kept, duplicate


def _reload(*firms):
    db.session.expire_all()
    return [db.session.get(Firm, f.id) for f in firms]


def test_preview_names_what_moves_and_what_stays(pair):
    kept, duplicate = pair
    plan = merging.preview(kept, duplicate)
    assert plan["capability.firm_id"] == {"move": 1, "stay": 1}  # both make housings: the kept one wins
    assert plan["certificate.firm_id"] == {"move": 1, "stay": 0}
    assert plan["firm_member.firm_id"] == {"move": 1, "stay": 1}  # the owner belongs to both


def test_suggestions_keep_filled_fields_and_the_fuller_description(pair):
    kept, duplicate = pair
    choice = merging.suggested_values(kept, duplicate)
    assert choice["website"] == "merged" and choice["description"] == "merged"
    assert choice["legal_name"] == "kept" and choice["city"] == "kept"


def test_merge_moves_rows_hides_the_duplicate_and_undo_restores_both(pair, users):
    kept, duplicate = pair
    staff = users["staff"]
    record = merging.merge(kept, duplicate, staff, take_from_merged={"website", "description"}, versions=None)
    kept, duplicate = _reload(kept, duplicate)
    assert kept.website == "https://indusmoulds.pk" and kept.description == "Injection moulds and housings."
    assert sorted(c.category_slug for c in kept.capabilities) == ["housing-plastic", "packaging"]
    assert [c.monthly_capacity for c in kept.capabilities if c.category_slug == "housing-plastic"] == [20000]
    assert len(kept.certificates) == 1 and {m.user.email for m in kept.members} == {"owner@indus.pk", "sales@indus.pk"}
    assert duplicate.merged_into_id == kept.id and not duplicate.is_public
    assert [c.category_slug for c in duplicate.capabilities] == ["housing-plastic"]  # the clash stays behind
    assert record.left_behind.keys() == {"capability.firm_id", "firm_member.firm_id"}

    merging.undo(db.session.get(type(record), record.id), staff)
    kept, duplicate = _reload(kept, duplicate)
    assert kept.website == "" and kept.description == "Moulds."
    assert [c.category_slug for c in kept.capabilities] == ["housing-plastic"] and kept.certificates == []
    assert sorted(c.category_slug for c in duplicate.capabilities) == ["housing-plastic", "packaging"]
    assert duplicate.merged_into_id is None and duplicate.is_public
    assert {m.user.email for m in duplicate.members} == {"owner@indus.pk", "sales@indus.pk"}
    assert verify_chain() == []


def test_rows_added_to_the_kept_firm_after_the_merge_stay_there_on_undo(pair, users):
    kept, duplicate = pair
    record = merging.merge(kept, duplicate, users["staff"], take_from_merged=set(), versions=None)
    kept = _reload(kept)[0]
    make_certificate(kept, "iec-62133")
    merging.undo(record, users["staff"])
    kept, duplicate = _reload(kept, duplicate)
    assert [c.type_slug for c in kept.certificates] == ["iec-62133"]
    assert [c.type_slug for c in duplicate.certificates] == ["iso-9001"]


def test_refusals(pair, users):
    kept, duplicate = pair
    staff = users["staff"]
    with pytest.raises(merging.MergeRefused):
        merging.merge(kept, kept, staff, take_from_merged=set(), versions=None)
    with pytest.raises(merging.MergeRefused, match="changed while you were comparing"):
        merging.merge(kept, duplicate, staff, take_from_merged=set(), versions=(kept.version, duplicate.version + 1))
    with pytest.raises(merging.MergeRefused, match="Unknown fields"):
        merging.merge(kept, duplicate, staff, take_from_merged={"status"}, versions=None)
    db.session.rollback()
    record = merging.merge(kept, duplicate, staff, take_from_merged=set(), versions=None)
    kept, duplicate = _reload(kept, duplicate)
    with pytest.raises(merging.MergeRefused, match="already merged"):
        merging.merge(kept, duplicate, staff, take_from_merged=set(), versions=None)
    merging.undo(record, staff)
    with pytest.raises(merging.MergeRefused, match="undone already"):
        merging.undo(record, staff)


def test_search_and_directory_follow_the_merge(client, pair, users):
    kept, duplicate = pair
    search.rebuild()
    assert len(search.search(search.SearchParams(q="moulds")).hits) == 2
    merging.merge(kept, duplicate, users["staff"], take_from_merged=set(), versions=None)
    search.sync()
    ids = [hit.firm_id for hit in search.search(search.SearchParams(q="moulds")).hits]
    assert ids == [kept.id]
    old_link = client.get(f"/suppliers/{duplicate.id}")
    assert old_link.status_code == 301 and old_link.headers["Location"].startswith(f"/suppliers/{kept.id}")


def test_history_of_the_kept_firm_includes_the_duplicates(pair, users):
    kept, duplicate = pair
    merging.merge(kept, duplicate, users["staff"], take_from_merged=set(), versions=None)
    assert merging.history_firm_ids(kept.id) == [kept.id, duplicate.id]
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.firm_id == duplicate.id)))
    assert "firm.merged_away" in actions


def test_staff_compare_merge_and_undo_through_the_pages(client, login, pair):
    kept, duplicate = pair
    login("staff")
    review = client.get(f"/staff/firms/{kept.id}").get_data(as_text=True)
    assert "Merge a duplicate into this listing" in review
    chooser = client.get(f"/staff/firms/{kept.id}/merge?other={duplicate.id}")
    assert chooser.headers["Location"].endswith(f"/staff/firms/{kept.id}/merge/{duplicate.id}")
    page = client.get(f"/staff/firms/{kept.id}/merge/{duplicate.id}").get_data(as_text=True)
    assert 'id="website-merged" value="merged" checked' in page
    assert "I understand: listing #" in page
    data = {"field_website": "merged", "kept_version": kept.version, "merged_version": duplicate.version}
    unconfirmed = client.post(f"/staff/firms/{kept.id}/merge/{duplicate.id}", data=data)
    assert "Nothing was done: tick the box" in unconfirmed.get_data(as_text=True)
    assert _reload(duplicate)[0].merged_into_id is None
    response = client.post(f"/staff/firms/{kept.id}/merge/{duplicate.id}", data={**data, "understood": "yes"})
    assert response.status_code == 302
    kept, duplicate = _reload(kept, duplicate)
    assert duplicate.merged_into_id == kept.id and kept.website == "https://indusmoulds.pk"
    assert kept.description == "Moulds."  # not picked in the form, so the kept value stays
    review = client.get(f"/staff/firms/{kept.id}").get_data(as_text=True)
    assert 'data-testid="merge-row"' in review
    [record] = merging.merges_of(kept)
    client.post(f"/staff/merges/{record.id}/undo")
    assert _reload(duplicate)[0].merged_into_id is None


def test_a_stale_comparison_is_refused_with_a_message(client, login, pair):
    kept, duplicate = pair
    login("staff")
    page = client.post(
        f"/staff/firms/{kept.id}/merge/{duplicate.id}",
        data={"kept_version": kept.version - 1, "merged_version": duplicate.version, "understood": "yes"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "changed while you were comparing" in page
    assert _reload(duplicate)[0].merged_into_id is None


@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
def test_only_staff_merge(client, login, pair, role):
    kept, duplicate = pair
    login(role)
    assert client.get(f"/staff/firms/{kept.id}/merge/{duplicate.id}").status_code == 403
    assert client.post(f"/staff/firms/{kept.id}/merge/{duplicate.id}").status_code == 403
    assert _reload(duplicate)[0].merged_into_id is None


def test_capabilities_and_certificates_keep_their_rows_not_copies(pair, users):
    kept, duplicate = pair
    before = {c.id for c in db.session.scalars(select(Certificate))}
    merging.merge(kept, duplicate, users["staff"], take_from_merged=set(), versions=None)
    assert {c.id for c in db.session.scalars(select(Certificate))} == before
    assert db.session.scalar(select(db.func.count()).select_from(Capability)) == 3


def test_the_audit_page_of_the_kept_firm_shows_the_duplicates_history(client, login, pair, users):
    kept, duplicate = pair
    merging.merge(kept, duplicate, users["staff"], take_from_merged=set(), versions=None)
    login("staff")
    page = client.get(f"/staff/audit?firm={kept.id}").get_data(as_text=True)
    assert "firm.merged_away" in page and "firm.merged" in page
