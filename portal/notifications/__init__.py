"""Notifications: what happened that a user should know about, in the portal and by e-mail."""

from portal.notifications.service import notify

__all__ = ["notify"]
