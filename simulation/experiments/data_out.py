"""Results out of Python's tables: an xarray cube (run x quarter x outcome) of any tidy
quarterly table, from :func:`simulation.simulate`, a sweep's :func:`load_runs` or a
``TeamModel.quarterly_frame``. Parquet needs nothing here: pyarrow is a dependency, so
``frame.to_parquet(path)`` always works, and a sweep's store exports its runs as Parquet
beside CSV (:func:`simulation.experiments.store.export`).

    cube = to_cube(simulation.simulate("baseline", replications=20))
    cube.sel(outcome="team_output").mean("run")

xarray is an extra (``pip install teamsim[xarray]``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from simulation.model.metrics import outcome_columns


def to_cube(frame: pd.DataFrame) -> Any:
    """A tidy quarterly table as an ``xarray.DataArray`` with dimensions ``run``,
    ``quarter`` and ``outcome``. The ``run`` coordinate is a MultiIndex of the columns
    that say which run a row is (every column that is neither ``quarter`` nor an outcome:
    scenario, strategy, seed, replication, a sweep's setting, label and factors, a
    design's point and keys). Every run must have every quarter."""
    try:
        import xarray as xr
    except ImportError:
        raise ImportError("an xarray cube needs xarray: pip install teamsim[xarray]") from None
    if "quarter" not in frame.columns:
        raise ValueError("to_cube needs a tidy quarterly table (no 'quarter' column)")
    known = set(outcome_columns())
    outcomes = [str(c) for c in frame.columns if c in known]
    identity = [str(c) for c in frame.columns if c not in known and c != "quarter"]
    if not outcomes:
        raise ValueError("to_cube found no outcome columns in the table")
    quarters = np.sort(frame["quarter"].unique())
    ordered = frame.sort_values([*identity, "quarter"], kind="stable")
    runs = ordered.drop_duplicates(identity)[identity]
    if len(runs) * len(quarters) != len(ordered):
        raise ValueError("to_cube needs every run to have every quarter, once")
    values = ordered[outcomes].to_numpy(dtype=float).reshape(
        len(runs), len(quarters), len(outcomes))
    run_index = pd.MultiIndex.from_frame(runs.reset_index(drop=True))
    coords = xr.Coordinates.from_pandas_multiindex(run_index, "run")
    return xr.DataArray(values, dims=("run", "quarter", "outcome"),
                        coords={**coords, "quarter": quarters, "outcome": outcomes},
                        name="value")
