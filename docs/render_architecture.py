"""Draw docs/architecture.png: the package's layers, their modules, and the imports between
layers, read from the code.

The layers are the ones the import contract in pyproject.toml names (checked by
tests/test_code_quality.py); the modules are the files under simulation/; the arrows count
the imports from one layer to another, found by grimp (installed with import-linter, in
the ``test`` extra). Every arrow points down: that is what the contract enforces.

    python docs/render_architecture.py
"""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import grimp
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "simulation"
OUT = ROOT / "docs" / "architecture.png"

ROLES = {
    "cli": "the command line: parse, call the library, print",
    "workshop": "the browser page for trainers (Solara)",
    "analysis": "patterns, calibration, sensitivity, optimisation",
    "experiments": "experiment files, sweeps, store, statistics, reports",
    "figures": "charts drawn from tables",
    "engines": "the Mesa model (SimPy calendar) and the batched engine",
    "model": "configuration, state, equations, the leader's week, the week",
}
COLOURS = ["#d9e8f5", "#d9e8f5", "#e3f1de", "#fdf0d5", "#f6e0e0", "#ece3f3", "#e6e6e6"]


def layers() -> list[str]:
    """The layers, top first, as the import contract names them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"]
                    if c["type"] == "layers")
    return list(contract["layers"])


def modules(layer: str) -> list[str]:
    """The modules of a layer (file names without .py; a package's __init__ left out)."""
    return sorted(path.stem for path in (PACKAGE / layer).glob("*.py")
                  if not path.stem.startswith("__"))


def imports_between(names: list[str]) -> dict[tuple[str, str], int]:
    """How many module-to-module imports go from each layer to each other layer."""
    graph = grimp.build_graph("simulation")
    counts: dict[tuple[str, str], int] = {}
    for importer in graph.modules:
        source = importer.split(".")[1] if importer.count(".") else ""
        if source not in names:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            target = imported.split(".")[1] if imported.count(".") else ""
            if target in names and target != source:
                counts[(source, target)] = counts.get((source, target), 0) + 1
    return counts


def draw() -> None:
    """Write the picture: a box per layer, as tall as its list of modules needs."""
    names = layers()
    counts = imports_between(names)
    listings = []
    for name in names:
        listed, size = textwrap.fill("  ".join(modules(name)), 92), 9.5
        if listed.count("\n") > 2:  # more than three lines: wider lines in a smaller font
            listed, size = textwrap.fill("  ".join(modules(name)), 106), 8.2
        listings.append((listed, size))
    heights = [0.75 + 0.17 * (listed.count("\n") + 1) for listed, _ in listings]
    gap = 0.25
    tops = [sum(heights[row:]) + gap * (len(names) - row - 1) for row in range(len(names))]
    total = tops[0]
    figure, axis = plt.subplots(figsize=(13, 1.05 * total + 0.8))
    for row, name in enumerate(names):
        height = heights[row]
        y = tops[row] - height
        axis.add_patch(FancyBboxPatch((0, y), 9.0, height, boxstyle="round,pad=0.02",
                                      facecolor=COLOURS[row % len(COLOURS)],
                                      edgecolor="0.4"))
        axis.text(0.15, y + height - 0.28, f"simulation.{name}", fontsize=13, weight="bold")
        axis.text(3.45, y + height - 0.28, ROLES.get(name, ""), fontsize=10.5, color="0.25")
        listed, size = listings[row]
        axis.text(0.15, y + (height - 0.5) / 2, listed, fontsize=size, va="center",
                  family="monospace")
        below = sum(count for (source, _), count in counts.items() if source == name)
        if row < len(names) - 1:
            axis.annotate("", xy=(9.6, y - gap + 0.03), xytext=(9.6, y + 0.05),
                          arrowprops={"arrowstyle": "-|>", "color": "0.3", "lw": 1.6})
        axis.text(9.8, y + height / 2, f"{below} imports\nof lower layers" if below else
                  "imports no\nother layer", fontsize=9.5, color="0.3", va="center")
    upward = [pair for pair in counts if names.index(pair[0]) > names.index(pair[1])]
    axis.set_title("TeamSim's layers: each imports only the layers below it"
                   + ("" if not upward else f" (UPWARD: {upward})"), fontsize=14, loc="left")
    axis.set_xlim(-0.1, 11.2)
    axis.set_ylim(-0.1, total + 0.05)
    axis.axis("off")
    figure.savefig(OUT, dpi=110, bbox_inches="tight")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    draw()
