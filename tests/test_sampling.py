"""The sampling design draws from its own random stream: never the stream of a replication
the configuration allows, and so unmoved by how many replications the experiment runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import load_as_cli
from scipy.stats import qmc

from simulation.experiments.experiment_files import (
    ExperimentConfig,
    PrecisionConfig,
    SampleConfig,
)
from simulation.experiments.sampling import DESIGN_STREAM, sample_points
from simulation.model.config import ScenarioConfig, field_docs
from simulation.model.randomness import run_seed_sequence

REPLICATION_COUNTS = [(ExperimentConfig, "replications"), (ScenarioConfig, "replications"),
                      (PrecisionConfig, "max_replications")]
"""Every setting that decides how many replications run (and so which spawn keys, 0 up)."""

BOUNDS = (("leader.attention_hours", 2.0, 16.0), ("leader.diagnostic_accuracy", 0.3, 1.0))


def sampled(method: str = "latin_hypercube", size: int = 8, seed: int = 11,
            replications: int = 20) -> ExperimentConfig:
    return ExperimentConfig(seed=seed, replications=replications,
                            sample=SampleConfig(method, size, BOUNDS))


@pytest.mark.parametrize(("cls", "name"), REPLICATION_COUNTS,
                         ids=[f"{cls.__name__}.{name}" for cls, name in REPLICATION_COUNTS])
def test_the_design_stream_is_no_replications_stream_the_configuration_allows(cls, name):
    most = field_docs(cls)[name]["high"]
    assert most is not None, f"{cls.__name__}.{name} has no upper bound"
    # Replications are numbered 0, 1, ..., most - 1, and each is spawn key (k,).
    assert isinstance(DESIGN_STREAM, int) and DESIGN_STREAM >= 0
    assert DESIGN_STREAM not in range(int(most))


def test_the_design_stream_is_a_spawn_key_numpy_accepts_and_differs_from_the_runs():
    design = np.random.SeedSequence(11, spawn_key=(DESIGN_STREAM,)).generate_state(4)
    for replication in (0, 1, 2, 10**6 - 1):
        assert not np.array_equal(design,
                                  run_seed_sequence(11, replication).generate_state(4))


@pytest.mark.parametrize("method", ["latin_hypercube", "sobol"])
def test_the_sampled_points_do_not_change_with_the_number_of_replications(method):
    points = sample_points(sampled(method, replications=2))
    for replications in (1, 3, 20, 500, 1_000_000):
        assert sample_points(sampled(method, replications=replications)) == points
    assert sample_points(sampled(method, seed=12, replications=2)) != points


def test_the_sampled_points_are_not_drawn_from_any_replications_stream():
    """A Latin hypercube drawn from replication k's stream gives other points (the design
    does not reuse the numbers of the first runs)."""
    experiment = sampled(size=8, replications=20)
    points = np.array([[point[key] for key, _, _ in BOUNDS] for point in
                       sample_points(experiment)])
    low, high = np.array([b[1] for b in BOUNDS]), np.array([b[2] for b in BOUNDS])
    for replication in range(experiment.replications):
        rng = np.random.default_rng(run_seed_sequence(experiment.seed, replication))
        theirs = qmc.scale(qmc.LatinHypercube(2, seed=rng).random(8), low, high)
        assert not np.allclose(points, theirs)
    ours = np.random.default_rng(np.random.SeedSequence(experiment.seed,
                                                        spawn_key=(DESIGN_STREAM,)))
    np.testing.assert_allclose(points, qmc.scale(qmc.LatinHypercube(2, seed=ours).random(8),
                                               low, high), rtol=1e-12)


def test_an_experiment_files_design_is_the_same_whatever_its_replications(in_tmp_path: Path):
    (in_tmp_path / "small.toml").write_text('name = "small"\nquarters = 2\n',
                                            encoding="utf-8")
    text = ('scenarios = ["small.toml"]\nseed = 5\nreplications = {n}\n[sample]\nsize = 6\n'
            '[sample.bounds]\n"leader.attention_hours" = [2.0, 16.0]\n'
            '"team.size" = [3, 12]\n')
    designs = []
    for n in (2, 40, 1000):
        path = in_tmp_path / f"design_{n}.toml"
        path.write_text(text.format(n=n), encoding="utf-8")
        experiment = load_as_cli(path)
        assert experiment.replications == n
        designs.append(sample_points(experiment))
    assert designs[0] == designs[1] == designs[2]
