"""Where a form may send its user back to: only a path on this site, never another host."""

from urllib.parse import urlsplit


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
