"""The home page: what the portal is for, and the value chain with live counts."""

from flask import Blueprint, render_template
from sqlalchemy import select

from portal import search
from portal.extensions import db
from portal.search import SearchParams
from portal.taxonomy import PHASES
from portal.taxonomy.models import ComponentCategory

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """The landing page, with each component category and how many verified firms make it."""
    # The search index's facet counts are the directory's own numbers, and cost no table scan.
    overview = search.search(SearchParams(per_page=1, snippets=False))
    categories = db.session.scalars(
        select(ComponentCategory).order_by(ComponentCategory.phase, ComponentCategory.name)
    ).all()
    phases = {number: (label, [c for c in categories if c.phase == number]) for number, label in PHASES.items()}
    return render_template(
        "main/home.html", phases=phases, counts=overview.facets["category"], firm_total=overview.total
    )


@bp.route("/about")
def about():
    """What the portal is for and who runs it."""
    return render_template("main/about.html")
