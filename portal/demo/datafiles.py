"""The demo's invented tables (firm profiles, cities, certificates, names, reasons, needs), kept as JSON
in `data/` so the planning code stays short and the text can be edited without touching Python."""

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


def read_table(name: str) -> Any:
    """The parsed contents of `data/<name>.json`: plain lists, dicts, strings and numbers."""
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)
