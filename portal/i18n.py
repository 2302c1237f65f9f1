"""Translation markers for messages that services raise.

Services also run outside requests (commands, cron), where no locale is chosen, so they keep the
English message and the page, or the error's `__str__`, translates it when it is shown.
"""


def N_(message: str) -> str:
    """Mark a message for extraction (`pybabel extract -k N_`) and return it untranslated."""
    return message
