"""Accounts: sign-up, sign-in, roles, passwords and API tokens."""
