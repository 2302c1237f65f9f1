"""EDB staff tools: colleagues' accounts now; the review queue and compliance build on it."""
