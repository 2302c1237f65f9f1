"""Staff pages for duplicate records: compare two, merge one into the other, undo a merge."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.access import staff_required
from portal.extensions import db
from portal.forms import ConfirmForm, confirmed
from portal.input_guard import row_id
from portal.staff.views import bp
from portal.suppliers import merging
from portal.suppliers.models import Firm, FirmMerge

FIELD_LABELS = {
    "legal_name": _l("Legal name"),
    "city": _l("City"),
    "province": _l("Province"),
    "ntn": _l("NTN"),
    "trade_name": _l("Trade name"),
    "address": _l("Address"),
    "website": _l("Website"),
    "contact_email": _l("Contact e-mail"),
    "phone": _l("Phone"),
    "year_founded": _l("Founded"),
    "employees": _l("Employees"),
    "export_markets": _l("Export markets"),
    "description": _l("Description"),
    "logo_path": _l("Logo"),
}


def _firm(firm_id: int) -> Firm:
    return db.session.get(Firm, firm_id) or abort(404)


@bp.route("/firms/<int:firm_id>/merge")
@staff_required
def choose_duplicate(firm_id):
    """Pick the record to merge into this one: suggestions by name, NTN and website, or an id."""
    kept = _firm(firm_id)
    other = request.args.get("other", "").strip().lstrip("#")
    if other:
        if (other_id := row_id(other)) is not None and db.session.get(Firm, other_id) is not None:
            return redirect(url_for("staff.compare_duplicate", firm_id=kept.id, other_id=other_id))
        flash(_("No listing has the number %(number)s.", number=other), "danger")
    return render_template("staff/merge_choose.html", firm=kept, suggestions=merging.possible_duplicates(kept))


@bp.route("/firms/<int:firm_id>/merge/<int:other_id>", methods=["GET", "POST"])
@staff_required
def compare_duplicate(firm_id, other_id):
    """The two records side by side; the reviewer picks each field's value, then merges."""
    kept, merged = _firm(firm_id), _firm(other_id)
    form = ConfirmForm()
    try:
        plan = merging.preview(kept, merged)
    except merging.MergeRefused as error:
        flash(str(error), "danger")
        return redirect(url_for("staff.review_firm", firm_id=kept.id))
    choice = merging.suggested_values(kept, merged)
    if form.validate_on_submit() and confirmed():
        take = {name for name in merging.MERGEABLE_FIELDS if request.form.get(f"field_{name}") == "merged"}
        versions = (request.form.get("kept_version", type=int), request.form.get("merged_version", type=int))
        try:
            merging.merge(kept, merged, current_user, take_from_merged=take, versions=versions)
        except merging.MergeRefused as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(url_for("staff.compare_duplicate", firm_id=kept.id, other_id=merged.id))
        flash(_("Listing #%(merged)s is merged into this one. You can undo it below.", merged=other_id), "success")
        return redirect(url_for("staff.review_firm", firm_id=firm_id, _anchor="merges"))
    return render_template(
        "staff/merge_compare.html", kept=kept, merged=merged, plan=plan, choice=choice, form=form,
        labels=FIELD_LABELS, fields=merging.MERGEABLE_FIELDS,
    )  # fmt: skip


@bp.post("/merges/<int:merge_id>/undo")
@staff_required
def undo_merge(merge_id):
    record = db.session.get(FirmMerge, merge_id) or abort(404)
    kept_id = record.kept_id
    if ConfirmForm().validate_on_submit():
        try:
            merging.undo(record, current_user)
        except merging.MergeRefused as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(_("Merge undone: both records are back as they were."), "success")
    return redirect(url_for("staff.review_firm", firm_id=kept_id, _anchor="merges"))


bp.add_app_template_global(merging.merges_of, "firm_merges")
bp.add_app_template_global(merging.possible_duplicates, "possible_duplicates")
