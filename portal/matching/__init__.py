"""Matching: pure functions that judge a firm against a need (or an investor against an
opportunity) and say why, in words. No Flask and no database: callers gather the facts."""
