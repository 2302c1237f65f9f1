"""The cast's firm with its two people, and a second brand and supplier who must not see its introductions."""

import pytest


@pytest.fixture
def firm(cast):
    """The supplier's firm (the cast's default, Lahore Boards), its colleague on stage from the start so
    that both people hear of every request."""
    return cast.enter("colleague").firm


@pytest.fixture
def colleague(firm, cast):
    return cast.colleague


@pytest.fixture
def other_brand(cast):
    return cast.other_brand


@pytest.fixture
def other_supplier(cast):
    return cast.other_supplier
