"""Figures: matplotlib charts drawn from tables. A figure never runs a model and computes
nothing beyond laying out the numbers it is given (the statistics behind them live in
:mod:`simulation.experiments`).

The modules, by job:

- ``style``: font sizes, colours, ``OUTCOME_TITLES`` and the helpers every figure shares;
- ``quarters``: configurations by quarter (``quarterly_figure``, and ``whatif_figure``
  for up to four), with the quarters of withdrawn attention shaded;
- ``sweeps``: comparisons and sweeps (``trajectory_figure``, ``difference_figure``,
  ``heatmap_figure``, ``tornado_figure``), drawn from the tables of
  ``experiments.effects`` and ``experiments.stats``;
- ``analysis``: the optimiser's, the sensitivity study's and the gap decomposition's
  results (``optimum_figure``, ``sobol_figure``, ``decomposition_figure``).

The figures and the constants other modules use are importable from here::

    from simulation.figures import quarterly_figure
    from simulation import figures

Figures are built with matplotlib's object interface (no pyplot state), so they are safe
in scripts, servers and tests alike.
"""

from simulation.figures.analysis import decomposition_figure, optimum_figure, sobol_figure
from simulation.figures.quarters import (
    COMPARED_COLOURS,
    PANELS,
    quarterly_figure,
    whatif_figure,
    withdrawn_quarters,
)
from simulation.figures.style import OUTCOME_TITLES, outcome_title
from simulation.figures.sweeps import (
    difference_figure,
    heatmap_figure,
    tornado_figure,
    trajectory_figure,
)

__all__ = [
    "COMPARED_COLOURS",
    "OUTCOME_TITLES",
    "PANELS",
    "decomposition_figure",
    "difference_figure",
    "heatmap_figure",
    "optimum_figure",
    "outcome_title",
    "quarterly_figure",
    "sobol_figure",
    "tornado_figure",
    "trajectory_figure",
    "whatif_figure",
    "withdrawn_quarters",
]
