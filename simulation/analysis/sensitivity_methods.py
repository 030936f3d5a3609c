"""The methods of a global sensitivity analysis behind one interface, SALib's: a method's
``sample(problem, size, seed)`` gives the points to evaluate, one row per point, and its
``analyze(problem, design, values, seed)`` the indices from the model's values there.

- **Sobol**: first- and total-order indices (Sobol 1993) by the Saltelli et al. (2010)
  estimators of ``scipy.stats.sobol_indices``, on ``size * (d + 2)`` points for ``d``
  parameters and ``size`` base samples, with 95% BCa bootstrap intervals over the base
  samples.
- **Morris**: elementary-effects screening (Morris 1991) by ``SALib.sample.morris`` and
  ``SALib.analyze.morris``: mu, mu* (the mean absolute effect, Campolongo, Cariboni &
  Saltelli 2007) with its bootstrap interval, and sigma (interactions and non-linearity),
  on ``size * (d + 1)`` points for ``size`` trajectories over a grid of ``levels`` values.

Points are kept in SALib's layout, so that the saved points and outputs go straight into
``SALib.analyze`` (and, for Sobol, into ``scipy.stats.sobol_indices``) to redo an analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analysis
from SALib.sample import morris as morris_sampling
from scipy import stats
from scipy.stats import qmc

CONFIDENCE = 0.95
"""Confidence level of every interval."""

BOOTSTRAP_BATCH = 50
"""Resamples the bootstrap of Sobol indices computes at once (memory: d x batch x n)."""

BOOTSTRAP_STREAM = 2**32 - 2
"""Spawn key of the bootstrap's random stream: neither a replication's (0, 1, 2, ...) nor
the sweep design's (2**32 - 1)."""


def bootstrap_rng(seed: int) -> np.random.Generator:
    """The random numbers of an analysis's bootstrap intervals, from its seed."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(BOOTSTRAP_STREAM,)))


@dataclass(frozen=True)
class Problem:
    """What varies: each named parameter uniformly over its bounds (SALib's problem)."""

    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]

    @property
    def num_vars(self) -> int:
        """The number of parameters, d."""
        return len(self.names)

    def salib(self) -> dict[str, Any]:
        """SALib's problem definition: ``{"num_vars", "names", "bounds"}``."""
        return {"num_vars": self.num_vars, "names": list(self.names),
                "bounds": [[float(low), float(high)] for low, high in self.bounds]}


@dataclass(frozen=True)
class Design:
    """The points a method evaluates: ``points`` is ``(N, d)``, one row per point in SALib's
    order, and ``layout`` says what each point is in the design (one row per point)."""

    points: np.ndarray
    layout: pd.DataFrame


@dataclass(frozen=True)
class Sobol:
    """Variance-based indices: the share of the outcome's variance due to each parameter
    alone (first order) and with all its interactions (total order)."""

    resamples: int = 1000
    """Bootstrap resamples of the intervals."""
    name: ClassVar[str] = "sobol"
    title: ClassVar[str] = "first- and total-order Sobol indices"
    size_name: ClassVar[str] = "base samples"
    computed_by: ClassVar[str] = (
        "scipy.stats.sobol_indices(func={'f_A', 'f_B', 'f_AB'}, n) for the indices; "
        "scipy.stats.bootstrap(method='BCa', rng=the bootstrap's) over the base samples, "
        "with scipy's estimator on scipy's centred outputs, for the intervals")
    columns: ClassVar[tuple[str, ...]] = ("first_order", "first_low", "first_high",
                                          "total_order", "total_low", "total_high")

    def points(self, num_vars: int, size: int) -> int:
        """The points a design of ``size`` base samples evaluates: ``size * (d + 2)``."""
        return size * (num_vars + 2)

    def sample(self, problem: Problem, size: int, seed: int) -> Design:
        """The points ``scipy.stats.sobol_indices(..., rng=np.random.default_rng(seed))``
        evaluates (matrices A and B from one scrambled Sobol sequence of 2d dimensions;
        AB_i is A with parameter i from B), in SALib's order: per base sample j, the rows
        A_j, AB_1j, ..., AB_dj, B_j."""
        d = problem.num_vars
        unit = qmc.Sobol(d=2 * d, rng=np.random.default_rng(seed), bits=64).random(size)
        both = unit.T.reshape(2, d, size)
        for index, (low, high) in enumerate(problem.bounds):
            both[:, index] = stats.uniform(loc=low, scale=high - low).ppf(both[:, index])
        a, b = both[0].T, both[1].T
        blocks = np.repeat(a[:, None, :], d + 2, axis=1)
        blocks[:, -1] = b
        for index in range(d):
            blocks[:, 1 + index, index] = b[:, index]
        layout = pd.DataFrame({
            "base": np.repeat(np.arange(size), d + 2),
            "block": np.tile(["A", *["AB"] * d, "B"], size),
            "varied": np.tile(["", *problem.names, ""], size),
        })
        return Design(blocks.reshape(size * (d + 2), d), layout)

    def analyze(self, problem: Problem, design: Design, values: np.ndarray,
                seed: int) -> pd.DataFrame:
        """The indices (``scipy.stats.sobol_indices`` on the values at the design's points)
        and their 95% BCa bootstrap intervals over the base samples, one row a parameter."""
        f_a, f_b, f_ab = sobol_blocks(values, problem.num_vars)
        result = stats.sobol_indices(func={"f_A": f_a[None], "f_B": f_b[None],
                                           "f_AB": f_ab[:, None]}, n=f_a.size)
        # scipy's own bootstrap of these indices takes no seed: the same BCa bootstrap,
        # on the outputs centred as scipy centres them, with the analysis's random numbers.
        centre = np.mean([f_a, f_b])
        a, b, ab = f_a - centre, f_b - centre, f_ab - centre

        def statistic(index: np.ndarray, axis: int = -1) -> np.ndarray:
            return saltelli_2010(a[index], b[index], ab[:, index])

        boot = stats.bootstrap((np.arange(f_a.size),), statistic, method="BCa",
                               n_resamples=self.resamples, batch=BOOTSTRAP_BATCH,
                               confidence_level=CONFIDENCE, rng=bootstrap_rng(seed))
        low, high = boot.confidence_interval
        return pd.DataFrame({
            "parameter": list(problem.names),
            "first_order": np.ravel(result.first_order),
            "first_low": low[0], "first_high": high[0],
            "total_order": np.ravel(result.total_order),
            "total_low": low[1], "total_high": high[1],
        })


def sobol_blocks(values: np.ndarray, num_vars: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The outputs at A ``(n,)``, at B ``(n,)`` and at the AB_i ``(d, n)`` of values in
    SALib's order of a Sobol design."""
    per_base = np.asarray(values, dtype=float).reshape(-1, num_vars + 2)
    return per_base[:, 0], per_base[:, -1], per_base[:, 1:-1].T


def saltelli_2010(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> np.ndarray:
    """First- and total-order indices ``(2, d, ...)`` from outputs at A and B ``(..., n)``
    and at the AB_i ``(d, ..., n)`` (``...``: resamples, if any): Saltelli et al. (2010),
    Table 2 (b) and (f), as ``scipy.stats.sobol_indices`` computes them (null variance:
    null indices)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = np.var(np.concatenate([f_a, f_b], axis=-1), axis=-1)
        first = np.mean(f_b * (f_ab - f_a), axis=-1) / variance
        total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=-1) / variance
    return np.nan_to_num(np.stack([first, total]), nan=0.0, posinf=0.0, neginf=0.0)


@dataclass(frozen=True)
class Morris:
    """Elementary-effects screening: how much one step of each parameter moves the outcome,
    along random one-at-a-time trajectories over a grid."""

    levels: int = 4
    """Grid levels per parameter, an even number (SALib's ``num_levels``)."""
    resamples: int = 1000
    """Bootstrap resamples of mu*'s interval."""
    name: ClassVar[str] = "morris"
    title: ClassVar[str] = "Morris elementary effects"
    size_name: ClassVar[str] = "trajectories"
    computed_by: ClassVar[str] = ("SALib.sample.morris.sample for the points, "
                                  "SALib.analyze.morris.analyze for the indices")
    columns: ClassVar[tuple[str, ...]] = ("mu", "mu_star", "mu_star_conf", "sigma")

    def points(self, num_vars: int, size: int) -> int:
        """The points ``size`` trajectories evaluate: ``size * (d + 1)``."""
        return size * (num_vars + 1)

    def sample(self, problem: Problem, size: int, seed: int) -> Design:
        """``SALib.sample.morris.sample(problem, N=size, num_levels=levels, seed=seed)``:
        per trajectory, a start on the grid and then one parameter moved at a time."""
        points = morris_sampling.sample(problem.salib(), N=size, num_levels=self.levels,
                                        seed=seed)
        steps = problem.num_vars + 1
        layout = pd.DataFrame({"trajectory": np.repeat(np.arange(size), steps),
                               "step": np.tile(np.arange(steps), size)})
        return Design(np.asarray(points, dtype=float), layout)

    def analyze(self, problem: Problem, design: Design, values: np.ndarray,
                seed: int) -> pd.DataFrame:
        """``SALib.analyze.morris.analyze`` on the values at the design's points: mu, mu*,
        mu*'s 95% bootstrap half-width and sigma, one row a parameter. Effects are per
        step of ``levels / (2 * (levels - 1))`` of a parameter's range."""
        found = morris_analysis.analyze(problem.salib(), design.points,
                                        np.asarray(values, dtype=float),
                                        num_resamples=self.resamples,
                                        conf_level=CONFIDENCE, num_levels=self.levels,
                                        seed=bootstrap_rng(seed))
        return pd.DataFrame({"parameter": list(problem.names),
                             **{column: np.asarray(found[column], dtype=float)
                                for column in self.columns}})


Method = Sobol | Morris
"""A sensitivity method."""

METHODS: dict[str, Callable[..., Method]] = {"sobol": Sobol, "morris": Morris}
"""The methods by the name an experiment file's ``[sample] method`` gives them."""


def redo_code(method: Method, problem: Problem, size: int, seed: int,
              outcome: str) -> dict[str, list[str]]:
    """Python that redoes the analysis from the saved files (run in the results folder):
    ``load`` reads them; ``salib`` (and for Sobol ``scipy``) then computes the indices;
    ``sample`` draws the same points again."""
    load = ["import json", "from pathlib import Path", "import numpy as np",
            "import pandas as pd",
            'problem = json.loads(Path("manifest.json").read_text())["problem"]',
            f'Y = pd.read_csv("outputs.csv")["{outcome}"].to_numpy()',
            'X = pd.read_csv("points.csv")[problem["names"]].to_numpy()']
    rng = (f"np.random.default_rng(np.random.SeedSequence({seed}, "
           f"spawn_key=({BOOTSTRAP_STREAM},)))")
    if isinstance(method, Morris):
        return {"load": load, "salib": [
            "from SALib.analyze import morris",
            f"Si = morris.analyze(problem, X, Y, num_resamples={method.resamples}, "
            f"conf_level={CONFIDENCE}, num_levels={method.levels}, seed={rng})",
        ], "sample": [
            "from SALib.sample import morris as morris_sample",
            f"X_again = morris_sample.sample(problem, N={size}, num_levels={method.levels}, "
            f"seed={seed})",
        ]}
    d = problem.num_vars
    return {"load": load, "salib": [
        "from SALib.analyze import sobol",
        f"Si = sobol.analyze(problem, Y, calc_second_order=False, num_resamples="
        f"{method.resamples}, conf_level={CONFIDENCE})",
    ], "scipy": [
        "from scipy import stats",
        f"F = Y.reshape({size}, {d + 2})  # per base sample: A, AB_1 ... AB_{d}, B",
        'res = stats.sobol_indices(func={"f_A": F[:, :1].T, "f_B": F[:, -1:].T, '
        f'"f_AB": F[:, 1:-1].T[:, None]}}, n={size})',
    ], "sample": [
        "from scipy import stats",
        "dists = [stats.uniform(loc=low, scale=high - low) for low, high in "
        'problem["bounds"]]',
        f"# stats.sobol_indices(func=f, n={size}, dists=dists, "
        f"rng=np.random.default_rng({seed})) evaluates f at the same points",
    ]}
