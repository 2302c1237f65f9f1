"""Shortlists: a brand keeps named lists of firms it is considering, with a note on each."""
