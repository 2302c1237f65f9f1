"""The BOM planner: a brand's bill of materials, each line mapped to a component category, set
against the local firms that could make it, and summed up as the share of the phone that can be
made in Pakistan today, phase by phase.

A BOM is the brand's secret: only its owner sees it, no firm learns that it matched one, and staff
see only aggregates over categories that at least three brands' plans hold (`insights.py`).
"""
