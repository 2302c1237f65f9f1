"""The portal's own relevance suite: a corpus and buyer queries judged from known attributes."""
