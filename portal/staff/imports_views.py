"""Staff pages for the supplier CSV: upload an import (or a dry run) and download the export."""

from flask import Response, abort, render_template, request, stream_with_context
from flask_login import current_user

from portal.access import staff_required
from portal.staff import imports
from portal.staff.import_forms import SupplierImportForm
from portal.staff.listing_csv import EXPORT_FORMATS
from portal.staff.views import bp
from portal.timeutil import today

SHOWN_PER_LIST = 200  # created/updated rows listed on screen; refused rows are always listed in full


@bp.route("/imports", methods=["GET", "POST"])
@staff_required
def imports_page():
    """Upload a supplier CSV; the report (created, updated, refused with line numbers) shows on the page."""
    form = SupplierImportForm()
    report = None
    if form.validate_on_submit():
        try:
            parsed = imports.parse_rows(form.csv_file.text)
        except imports.FileRefused as error:
            form.csv_file.errors.append(str(error))
        else:
            report = imports.import_firms(
                parsed,
                actor=current_user,
                as_staff=current_user.is_staff,
                dry_run=form.dry_run.data,
                source=form.csv_file.data.filename or "",
            )
    return render_template("staff/imports.html", form=form, report=report, shown=SHOWN_PER_LIST)


@bp.route("/exports/suppliers.csv")
@staff_required
def export_suppliers_csv():
    """Every firm in an import format (the supplier format, or ?format=listing), streamed so a
    large directory never sits in memory whole."""
    format_name = request.args.get("format", "supplier")
    if format_name not in EXPORT_FORMATS:
        abort(404)
    name = "suppliers" if format_name == "supplier" else f"suppliers-{format_name}"
    return Response(
        stream_with_context(imports.export_chunks(EXPORT_FORMATS[format_name]())),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}-{today().isoformat()}.csv"',
            "Cache-Control": "private, no-store",
        },
    )
