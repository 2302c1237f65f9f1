"""The home page (what the portal is for, the value chain with live counts), the about page and
the language switch every page carries."""

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import search
from portal.accounts import service as accounts
from portal.extensions import db
from portal.i18n import N_, SESSION_KEY, is_language
from portal.redirects import local_path
from portal.search import SearchParams
from portal.taxonomy import PHASES
from portal.taxonomy.models import ComponentCategory
from portal.taxonomy.names import phase_name

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """The landing page, with each component category and how many verified firms make it."""
    # The search index's facet counts are the directory's own numbers, and cost no table scan.
    overview = search.search(SearchParams(per_page=1, snippets=False))
    categories = db.session.scalars(
        select(ComponentCategory).order_by(ComponentCategory.phase, ComponentCategory.name)
    ).all()
    phases = {
        number: (phase_name(number, label), [c for c in categories if c.phase == number])
        for number, label in PHASES.items()
    }
    return render_template(
        "main/home.html", phases=phases, counts=overview.facets["category"], firm_total=overview.total
    )


@bp.route("/about")
def about():
    """What the portal is for and who runs it."""
    return render_template("main/about.html")


@bp.post("/language")
def choose_language():
    """Switch the portal's language: for this browser, and on the account of a signed-in person."""
    language = request.form.get("language")
    if not is_language(language):
        abort(400, description=N_("Choose one of the portal's languages."))
    session[SESSION_KEY] = language
    if current_user.is_authenticated:
        accounts.set_language(current_user, language)
    return redirect(local_path(request.form.get("next"), url_for("main.home")))
