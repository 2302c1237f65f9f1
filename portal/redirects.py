"""Where a form may send its user back to: only a path on this site, never another host."""

from urllib.parse import urlsplit


def same_site_referrer(default: str) -> str:
    """The page a form was sent from, when it is on this site; else `default`."""
    from flask import request

    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return default
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""), default)


def local_path(target: str | None, default: str) -> str:
    """`target` when it is a path on this site (`/…`), else `default`."""
    target = target or ""
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not parts.scheme
        and not parts.netloc
    ):
        return target
    return default
