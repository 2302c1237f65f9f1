"""The staff page of exchange rates: what is kept, dated, with its source."""

from flask import Blueprint, render_template

from portal.access import staff_required
from portal.money import rates
from portal.timeutil import today

bp = Blueprint("money", __name__, url_prefix="/staff/rates")


@bp.route("/")
@staff_required
def index():
    """The rates kept, newest first, and which currencies have a rate in force today."""
    book = rates.rates_on(today())
    return render_template("money/rates.html", rates=rates.recent_rates(), book=book, stale_days=rates.STALE_DAYS)
