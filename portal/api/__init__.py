"""The JSON API under /api/v1 (see CONTRACT.md); no CSRF, bearer tokens instead of cookies."""
