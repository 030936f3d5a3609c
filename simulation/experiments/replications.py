"""Running a scenario's replications and writing what a run produces.

Replication k of base seed s is the run seeded by ``SeedSequence(s, spawn_key=(k,))``
(see :mod:`simulation.model.randomness`), so a set of replications is reproducible in any
process and replication k sees the same random numbers under every strategy.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.engines.mesa_model import TeamModel
from simulation.experiments.stats import summarise
from simulation.model.config import ScenarioConfig
from simulation.model.metrics import outcome_columns
from simulation.model.scenario import to_dict
from simulation.model.strategies import REGISTRY, StrategyRegistry

PACKAGES = ("teamsim", "mesa", "numpy", "scipy", "simpy", "pandas", "matplotlib")


@dataclass(frozen=True)
class Replications:
    """The quarterly rows of every replication of one scenario, and their summary."""

    config: ScenarioConfig
    seed: int
    quarterly: pd.DataFrame
    """One tidy row per (replication, quarter)."""

    @property
    def summary(self) -> pd.DataFrame:
        """Mean and 95% interval of every outcome, per quarter."""
        return summarise(self.quarterly, outcome_columns())


def run_once(config: ScenarioConfig, seed: int, replication: int,
             registry: StrategyRegistry = REGISTRY) -> pd.DataFrame:
    """One run's quarterly table; Mesa's reference to the model is released afterwards."""
    model = TeamModel(config, seed=seed, replication=replication, registry=registry)
    try:
        return model.run().quarterly_frame()
    finally:
        model.release()


def run_replications(config: ScenarioConfig, replications: int | None = None,
                     seed: int | None = None, registry: StrategyRegistry = REGISTRY,
                     progress: Callable[[int, int], None] | None = None) -> Replications:
    """Run ``replications`` runs of a scenario (its own defaults where None)."""
    count = config.replications if replications is None else replications
    base_seed = config.seed if seed is None else seed
    frames = []
    for replication in range(count):
        frames.append(run_once(config, base_seed, replication, registry))
        if progress is not None:
            progress(replication + 1, count)
    return Replications(config, base_seed, pd.concat(frames, ignore_index=True))


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages a result depends on."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_revision() -> str | None:
    """The checkout's git revision, when the package runs from one."""
    here = Path(__file__).resolve().parent
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def manifest(result: Replications, source: str) -> dict[str, Any]:
    """What a reader needs to reproduce a result: configuration, seeds and versions."""
    return {
        "scenario": result.config.name,
        "source": source,
        "seed": result.seed,
        "replications": int(result.quarterly["replication"].nunique()),
        "seeding": "replication k uses numpy SeedSequence(seed, spawn_key=(k,))",
        "configuration": to_dict(result.config),
        "versions": package_versions(),
        "git_revision": git_revision(),
    }


def publish(folder: Path, files: Mapping[str, Callable[[Path], None]]) -> None:
    """Write files into ``folder`` all at once: each writer gets its path in a temporary
    folder beside it, and only when all succeed does the folder replace the old one."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} exists and is not a folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        staging.chmod(0o777 & ~current_umask())
        for name, write in files.items():
            write(staging / name)
        if folder.exists():
            retired = folder.with_name(f".{folder.name}.old.{os.getpid()}")
            folder.rename(retired)
            staging.rename(folder)
            shutil.rmtree(retired)
        else:
            staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def current_umask() -> int:
    """The process's file-creation mask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(data: Any) -> Callable[[Path], None]:
    """A file writer for ``publish`` that writes JSON."""
    def write(path: Path) -> None:
        path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return write
