"""The one rule for contact details between a firm and whoever approaches it: a brand asking for an
introduction, an investor expressing interest in an opportunity. E-mail addresses, phones and the
people behind each side pass only once the firm consented (accepted, and did not decline later),
and only between the two sides. Introductions and investment interests both ask `shared()`.
"""


def shared(*, firm_consented: bool, viewer_is_party: bool) -> bool:
    """Whether the viewer may see the other side's contact details in one approach."""
    return firm_consented and viewer_is_party
