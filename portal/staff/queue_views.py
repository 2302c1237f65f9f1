"""The review queue page: everything waiting for staff, oldest first, with filters."""

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from portal.access import staff_required
from portal.accounts import address_review
from portal.extensions import db
from portal.introductions.brokering import broker_queue
from portal.staff.queue import kinds, queue_count, review_queue
from portal.staff.views import bp
from portal.taxonomy import PROVINCES
from portal.taxonomy.models import ComponentCategory
from portal.taxonomy.names import local_name

PER_PAGE = 100


@bp.route("/queue")
@staff_required
def queue():
    """One list of what waits for a decision; each row opens the item on the firm's review page."""
    filters = {name: request.args.get(name) or None for name in ("kind", "category", "province")}
    categories = [
        (slug, local_name("category", slug, name))
        for slug, name in db.session.execute(
            select(ComponentCategory.slug, ComponentCategory.name).order_by(ComponentCategory.name)
        )
    ]
    total = queue_count(**filters)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    return render_template(
        "staff/queue.html",
        items=review_queue(**filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE),
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        kind_labels={name: _(kind.label) for name, kind in kinds().items()},
        categories=categories,
        category_names=dict(categories),
        provinces=PROVINCES,
        brokered=broker_queue(),
        addresses=address_review.waiting_for_staff(),
    )
