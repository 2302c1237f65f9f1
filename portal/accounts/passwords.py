"""The password rule: long enough, not a common password, hashed with scrypt (memory-hard)."""

from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from portal.i18n import Phrase


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common leaked passwords; we only borrow the list.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> Phrase | None:
    """Say what is wrong with a proposed password, in words for people (shown in the reader's
    language), or None if it is fine."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return Phrase("Use at least %(minimum)s characters.", minimum=minimum)
    if len(password) > 256:
        return Phrase("Use at most 256 characters.")
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 3:
        return Phrase("This password is too common; choose one that is harder to guess.")
    local_part = email.split("@")[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (name and lowered == name.lower()):
        return Phrase("Do not use your name or e-mail address in the password.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
