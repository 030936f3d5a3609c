"""The notebooks in examples/ run from top to bottom: each plain-text jupytext file is
converted to a notebook and executed in a fresh kernel, in an empty working folder, and
must raise nothing, warn nothing and show something (a markdown cell, a figure and a
printed result), so an emptied notebook fails as surely as a broken one.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
kernelspec = pytest.importorskip("jupyter_client.kernelspec")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "examples").glob("[0-9][0-9]_*.py"))
CELL_TIMEOUT = 300
"""Seconds any one cell may take (each notebook runs in about a minute in all)."""

WARNING_LINE = re.compile(r"\b\w*Warning\b:")
"""How Python prints a warning (``path:line: UserWarning: ...``)."""


def kernel_name() -> str:
    """The Python kernel installed beside this interpreter (ipykernel's ``python3``)."""
    names = kernelspec.find_kernel_specs()
    if "python3" in names:
        return "python3"
    python = [name for name in names if name.startswith("python")]
    if not python:
        pytest.skip(f"no Python kernel is installed (found: {sorted(names)})")
    return python[0]


def outputs(notebook, output_type: str | None = None) -> list:
    """Every output of the notebook's code cells (of one type, if given)."""
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", [])
            if output_type is None or output.output_type == output_type]


def printed_text(output) -> bool:
    """Whether an output is a printed result: text on stdout, or a table or value shown
    as a cell's result (not a figure's text stand-in)."""
    if output.output_type == "stream":
        return output.name == "stdout" and bool(output.text.strip())
    data = output.get("data", {})
    return "text/html" in data or ("text/plain" in data and "image/png" not in data)


def test_there_are_notebooks_to_run():
    assert len(NOTEBOOKS) >= 4, [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_and_shows_its_results(path, tmp_path):
    notebook = jupytext.read(path)
    assert any(cell.cell_type == "markdown" for cell in notebook.cells), \
        f"{path.name} has no markdown cell"
    work, scratch = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    scratch.mkdir()
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT,
                                     kernel_name=kernel_name(),
                                     resources={"metadata": {"path": str(work)}})
    # The kernel starts in an empty folder, and its temporary folders (where the notebooks
    # write their stores and exports) are the test's own.
    client.execute(env={**os.environ, "TMPDIR": str(scratch)})  # raises on a failing cell

    figures = [output for output in outputs(notebook) if "image/png" in output.get("data", {})]
    assert figures, f"{path.name} drew no figure"
    printed = [output for output in outputs(notebook) if printed_text(output)]
    assert printed, f"{path.name} printed no result"
    warned = [line for output in outputs(notebook, "stream") if output.name == "stderr"
              for line in output.text.splitlines() if WARNING_LINE.search(line)]
    assert not warned, f"{path.name} warned:\n" + "\n".join(warned)
    assert not any(work.iterdir()), f"{path.name} wrote into its working folder, not a " \
                                    "temporary one"
