"""Sourcing needs: what brands want made, and the local firms that can make it."""
