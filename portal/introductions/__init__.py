"""Introductions: a brand asks to meet a local firm, the firm answers, and both follow it to an outcome."""
