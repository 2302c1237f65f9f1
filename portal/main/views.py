"""The home page: what the portal is for, and the value chain with live counts."""

from flask import Blueprint, render_template
from sqlalchemy import func, select

from portal.extensions import db
from portal.suppliers.models import Capability, Firm
from portal.taxonomy import PHASES
from portal.taxonomy.models import ComponentCategory

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """The landing page, with each component category and how many verified firms make it."""
    # A firm lists a category once (unique constraint), so counting rows counts firms.
    counts = dict(
        db.session.execute(
            select(Capability.category_slug, func.count())
            .join(Firm)
            .where(Firm.is_public)
            .group_by(Capability.category_slug)
        ).all()
    )
    categories = db.session.scalars(
        select(ComponentCategory).order_by(ComponentCategory.phase, ComponentCategory.name)
    ).all()
    firm_total = db.session.scalar(select(func.count(Firm.id)).where(Firm.is_public))
    phases = {number: (label, [c for c in categories if c.phase == number]) for number, label in PHASES.items()}
    return render_template("main/home.html", phases=phases, counts=counts, firm_total=firm_total)


@bp.route("/about")
def about():
    """What the portal is for and who runs it."""
    return render_template("main/about.html")
