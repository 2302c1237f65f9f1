"""Public pages: the home page and what the portal is for."""
