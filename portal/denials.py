"""What a service answers when the person may not have or do something: the page or API turns it
into 404 or 403 (`portal.errors`), so services never reach for the request to say no."""


class NotFound(LookupError):
    """Missing, or not for this person to know of: answered 404, as for something that does not exist."""


class NotAllowed(PermissionError):
    """The person may see the thing but not do this to it (the wrong side, or staff): answered 403."""
