"""Try the act, flash the refusal: how a page runs one act of a service and tells the person."""

from collections.abc import Callable

from flask import flash
from flask_babel import gettext


def attempt(act: Callable, success, refusal: type[Exception] | tuple[type[Exception], ...]) -> bool:
    """Run `act`; flash its refusal, or `success` (a text, or a function of what the act returned).

    True when the act was done. Services mark their refusals with `N_` and the page translates
    them here (a text the service translated already passes through unchanged).
    """
    try:
        result = act()
    except refusal as error:
        flash(gettext(str(error)), "danger")
        return False
    flash(success(result) if callable(success) else success, "success")
    return True
