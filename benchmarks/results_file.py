"""benchmarks/RESULTS.md: each benchmark script owns one section and rewrites only it."""

from __future__ import annotations

import os
import platform
import re
import time
from pathlib import Path

import mesa
import numpy as np

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = "# Benchmark results\n\nEach section is rewritten by the script it names.\n"


def machine() -> str:
    """One line describing where and when a measurement was taken."""
    return (f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"Mesa {mesa.__version__}, numpy {np.__version__}.")


def update_section(name: str, body: str) -> None:
    """Replace (or add) the section ``name`` of RESULTS.md with ``body``."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    start, end = f"<!-- section: {name} -->", f"<!-- end section: {name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else (
        text.rstrip() + "\n\n" + block + "\n")
    RESULTS.write_text(text, encoding="utf-8")
