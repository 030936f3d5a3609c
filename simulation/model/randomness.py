"""Reproducible randomness: every random number a pure function of where it is used.

A run is identified by the base seed and its replication number. Each of its random
numbers has an address: the run, the purpose it serves (a *stream*: the leader's reading
errors, turnover, a crisis...), the week, the member slot and, where a purpose needs
several numbers at once, which of them. The number is a fixed integer hash of that
address (:func:`uniform_bits`: the SplitMix64 finaliser of Steele, Lea and Flood, 2014,
applied to a key of the run and a key of the address), read as a uniform in (0, 1) or,
through the normal quantile, as a standard normal. There is no generator object and
nothing is consumed in order, so:

* any driver of a run (the Mesa model, the batched engine, a compiled engine) computes
  exactly the same numbers, from integer arithmetic alone, whatever happens in the run;
* replication k meets the same numbers whatever strategy or setting is compared, and
  a member's numbers in slot j of week w are the same whatever the team's size or the
  run's length: common random numbers hold between teams of different sizes and runs of
  different lengths too;
* a block of runs draws its noise with a few whole-array operations, no loop over runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy
from scipy.special import ndtri

from simulation.model import arrays
from simulation.model.arrays import np
from simulation.model.config import ScenarioConfig
from simulation.model.diagnosis import OBSERVED_READINGS, TEAM_READINGS
from simulation.model.state import INITIAL_DRAWS, TEAM_DRAWS, TRAIT_DRAWS, TeamState, initial_state

SEEDING = ("every random number of replication k is a SplitMix64 hash of (seed, k, stream, "
           "week, member slot, draw): simulation.model.randomness, docs/MODEL.md 5.2")
"""How runs are seeded, in one line, for manifests."""

GOLDEN = 0x9E3779B97F4A7C15
"""2^64 over the golden ratio, odd: SplitMix64's increment, here the offset of a seed."""
REPLICATION_GAMMA = 0xD1B54A32D192ED03
"""An odd multiplier that spreads replication numbers over 64 bits (multiplying by any odd
number is a bijection modulo 2^64, so no two replications share a key before mixing)."""
MIX_1, MIX_2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
"""The multipliers of SplitMix64's finaliser (Stafford's Mix13)."""
MASK = 2**64 - 1
STREAM_SHIFT, DRAW_SHIFT, WEEK_SHIFT = 56, 48, 24
"""Where the parts of an address sit in its 64 bits: stream (8 bits), draw (8), week (24),
slot (24)."""


def mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser over uint64 values, in place (a bijection of 64-bit
    integers in which every input bit changes about half the output bits); returns them."""
    with np.errstate(over="ignore"):  # wrapping modulo 2^64 is the point
        values ^= values >> np.uint64(30)
        values *= np.uint64(MIX_1)
        values ^= values >> np.uint64(27)
        values *= np.uint64(MIX_2)
        values ^= values >> np.uint64(31)
    return values


def run_keys(seed: int, replications: list[int] | np.ndarray) -> np.ndarray:
    """The 64-bit key of each replication of base seed ``seed`` (seed and replications
    taken modulo 2^64): ``mix(mix(seed + GOLDEN) + replication * REPLICATION_GAMMA)``."""
    base = mix(np.array([(int(seed) + GOLDEN) & MASK], dtype=np.uint64))
    reps = np.array([int(k) & MASK for k in replications], dtype=np.uint64)
    return mix(base + reps * np.uint64(REPLICATION_GAMMA))


def address(stream: int, week: np.ndarray | int, slot: np.ndarray | int,
            draw: np.ndarray | int) -> np.ndarray:
    """The 64-bit address of a number within a run: its stream, week, slot and draw."""
    if not 0 <= stream < 2**8:
        raise ValueError(f"stream {stream} does not fit an address")
    parts = np.broadcast_arrays(*(np.asarray(x, dtype=np.uint64) for x in (week, slot, draw)))
    week_, slot_, draw_ = parts
    if (week_ >= 2**24).any() or (slot_ >= 2**24).any() or (draw_ >= 2**8).any():
        raise ValueError("a week, slot or draw does not fit an address")
    return address_bits(stream, week_, slot_, draw_)


def address_bits(stream: int, week: np.ndarray | int, slot: np.ndarray | int,
                 draw: np.ndarray | int) -> np.ndarray:
    """:func:`address` without its checks (for a compiled week, whose week is a traced
    number that cannot be checked)."""
    def bits(x: np.ndarray | int) -> np.ndarray:
        return np.asarray(x).astype(np.uint64)

    return ((np.uint64(stream) << np.uint64(STREAM_SHIFT))
            | (bits(draw) << np.uint64(DRAW_SHIFT)) | (bits(week) << np.uint64(WEEK_SHIFT))
            | bits(slot))


def address_keys(addresses: np.ndarray) -> np.ndarray:
    """Each address spread over 64 bits: ``mix(address + GOLDEN)`` (the same for every
    run, so computed once for a layout)."""
    return mix(np.atleast_1d(np.asarray(addresses, dtype=np.uint64)) + np.uint64(GOLDEN))


def uniform_bits(run_key: np.ndarray, address_key: np.ndarray,
                 out: np.ndarray | None = None) -> np.ndarray:
    """The 64 random bits at an address of a run: ``mix(run_key + address_key)`` (into
    ``out``, a uint64 array of the broadcast shape, if given)."""
    return mix(np.add(run_key, address_key, out=out, dtype=np.uint64))


def to_uniform(bits: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """A uniform in the open interval (0, 1) from 64 bits: the top 53, plus a half, over
    2^53 (never 0 or 1, so the normal quantile of it is finite). With ``out`` (a float
    array of the same shape) the work is done in place, and ``bits`` is shifted."""
    if out is None:
        return ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    bits >>= np.uint64(11)
    np.add(bits, 0.5, out=out)
    out *= 2.0**-53
    return out


def number(seed: int, replication: int, stream: str, week: int = 0, slot: int = 0,
           draw: int = 0) -> float:
    """One random number of a run, from its address: the reference definition the
    vectorised drawing below computes for whole blocks (a uniform or a standard normal,
    as the stream's distribution is)."""
    bits = uniform_bits(run_keys(seed, [replication]),
                        address_keys(address(STREAM[stream], week, slot, draw)))
    uniform = to_uniform(bits)
    return float((ndtri(uniform) if DISTRIBUTION[stream] == NORMAL else uniform)[0])


def run_seed_sequence(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of Mesa's own generator (``model.rng``, ``model.random``) in
    replication ``replication`` of base seed ``seed``: the model's noise does not come
    from it, but an extension that draws from Mesa's generator is reproducible too."""
    return np.random.SeedSequence(seed, spawn_key=(replication,))


def run_generator(seed: int, replication: int) -> np.random.Generator:
    """Mesa's own generator of a run (see :func:`run_seed_sequence`)."""
    return np.random.default_rng(run_seed_sequence(seed, replication))


@dataclass(frozen=True)
class RunNoise:
    """Every random number one run uses, by purpose (shapes for ``weeks`` W, slots M)."""

    initial: np.ndarray
    """(M, INITIAL_DRAWS) standard normals: the starting team."""
    observation: np.ndarray
    """(W, M, OBSERVED_READINGS) standard normals: the leader's reading errors."""
    turnover: np.ndarray
    """(W, M) uniforms: whether a member leaves this week."""
    hire: np.ndarray
    """(W, M) standard normals: a new hire's starting capability."""
    crisis: np.ndarray
    """(W,) uniforms: whether a crisis strikes this week."""
    obstacle: np.ndarray
    """(W,) uniforms: whether a new obstacle emerges this week."""
    change: np.ndarray
    """(W,) uniforms: whether conditions change this week."""
    traits: np.ndarray
    """(M, TRAIT_DRAWS) standard normals: the starting members' traits."""
    hire_traits: np.ndarray
    """(W, M, TRAIT_DRAWS) standard normals: a new hire's traits."""
    team: np.ndarray
    """(TEAM_DRAWS,) standard normals: how this team differs from others at the start."""
    first_reading: np.ndarray
    """(M, OBSERVED_READINGS) standard normals: the leader's first misreading of each
    member."""
    voice: np.ndarray
    """(W, M) uniforms: whether a member runs into a problem, and raises or hides it."""
    team_reading: np.ndarray
    """(W, len(TEAM_READINGS)) standard normals: the leader's reading errors of the team
    states."""
    work: np.ndarray
    """(1,) standard normal: how productive the team's work is (``work.productivity_sd``)."""

    def week(self, week: int) -> WeekNoise:
        """The member noise of one (0-based) week, of one run or of every run of a batch
        (the run axis, if any, comes first)."""
        return WeekNoise(observation=self.observation[..., week, :, :],
                         turnover=self.turnover[..., week, :],
                         hire=self.hire[..., week, :],
                         hire_traits=self.hire_traits[..., week, :, :],
                         voice=self.voice[..., week, :],
                         team_reading=self.team_reading[..., week, :],
                         work=self.work[..., 0])

    def starting_team(self, config: ScenarioConfig) -> TeamState:
        """The run's (or batch's) starting team, from its draws."""
        return initial_state(config, self.initial, self.traits, self.team, self.first_reading)


@dataclass(frozen=True)
class WeekNoise:
    """A run's (or a batch's) member noise for one week."""

    observation: np.ndarray
    """``(..., members, OBSERVED_READINGS)`` standard normals: the leader's reading errors."""
    turnover: np.ndarray
    """``(..., members)`` uniforms: whether each member leaves."""
    hire: np.ndarray
    """``(..., members)`` standard normals: a new hire's starting capability."""
    hire_traits: np.ndarray
    """``(..., members, TRAIT_DRAWS)`` standard normals: a new hire's traits."""
    voice: np.ndarray
    """``(..., members)`` uniforms: problems raised or hidden."""
    team_reading: np.ndarray
    """``(..., len(TEAM_READINGS))`` standard normals: the leader's reading errors of the
    team states."""
    work: np.ndarray
    """Team arrays of the run's standard normal for its work's productivity."""


NORMAL, UNIFORM = "normal", "uniform"
LAYOUT: tuple[tuple[str, str], ...] = (
    ("work", NORMAL), ("initial", NORMAL), ("observation", NORMAL), ("turnover", UNIFORM),
    ("hire", NORMAL),
    ("crisis", UNIFORM), ("obstacle", UNIFORM), ("change", UNIFORM),
    ("traits", NORMAL), ("hire_traits", NORMAL), ("team", NORMAL), ("first_reading", NORMAL),
    ("voice", UNIFORM), ("team_reading", NORMAL),
)
"""The streams of a run's noise, each with its distribution. A stream's number is its
place here, part of every address it draws, so a new stream is appended (the numbers of
the others then stay as they are)."""
STREAM: dict[str, int] = {name: index for index, (name, _) in enumerate(LAYOUT)}
DISTRIBUTION: dict[str, str] = dict(LAYOUT)
AXES: dict[str, tuple[str, ...]] = {
    "initial": ("slot", "draw"), "observation": ("week", "slot", "draw"),
    "turnover": ("week", "slot"), "hire": ("week", "slot"),
    "crisis": ("week",), "obstacle": ("week",), "change": ("week",),
    "traits": ("slot", "draw"), "hire_traits": ("week", "slot", "draw"),
    "team": ("draw",), "first_reading": ("slot", "draw"), "voice": ("week", "slot"),
    "team_reading": ("week", "draw"), "work": ("draw",)}
"""What each axis of a stream's block counts: weeks, member slots, or the draws a purpose
takes at once (a team-level stream has no slot axis; a starting one, no week axis: its
numbers are those of week 0 and slot 0)."""


def noise_shapes(weeks: int, members: int) -> dict[str, tuple[int, ...]]:
    """The shape of each block of a run's noise."""
    return {"initial": (members, INITIAL_DRAWS),
            "observation": (weeks, members, OBSERVED_READINGS),
            "turnover": (weeks, members), "hire": (weeks, members),
            "crisis": (weeks,), "obstacle": (weeks,), "change": (weeks,),
            "traits": (members, TRAIT_DRAWS), "hire_traits": (weeks, members, TRAIT_DRAWS),
            "team": (TEAM_DRAWS,), "first_reading": (members, OBSERVED_READINGS),
            "voice": (weeks, members), "team_reading": (weeks, len(TEAM_READINGS)),
            "work": (1,)}


@dataclass(frozen=True)
class Layout:
    """A run's noise for one (weeks, slots) shape, flat: every number's address key, the
    normals first, and where each stream's block lies."""

    keys: np.ndarray
    """(numbers,) address keys (:func:`address_keys`), the normal streams' first."""
    normals: int
    """How many of the numbers are normals (the first ones)."""
    blocks: tuple[tuple[str, slice, tuple[int, ...]], ...]
    """Each stream's name, place in ``keys`` and block shape."""


WEEK_STREAMS: tuple[str, ...] = ("observation", "turnover", "hire", "hire_traits", "voice",
                                  "team_reading")
"""The streams a week reads (:class:`WeekNoise`): the compiled engine computes them inside
the week (:func:`week_noise`) rather than drawing them ahead for every week."""


def block_shapes(weeks: int, members: int, weekly: bool = True) -> dict[str, tuple[int, ...]]:
    """:func:`noise_shapes`, with no weeks of the weekly streams unless ``weekly``."""
    shapes = noise_shapes(weeks, members)
    if not weekly:
        shapes.update({name: (0, *shapes[name][1:]) for name in WEEK_STREAMS})
    return shapes


@lru_cache(maxsize=32)
def layout(weeks: int, members: int, weekly: bool = True) -> Layout:
    """The flat layout of a run's noise for ``weeks`` weeks and ``members`` slots (the
    weekly streams left out unless ``weekly``)."""
    shapes = block_shapes(weeks, members, weekly)
    ordered = ([name for name, kind in LAYOUT if kind == NORMAL]
               + [name for name, kind in LAYOUT if kind == UNIFORM])
    keys, blocks, offset, normals = [], [], 0, 0
    for name in ordered:
        shape = shapes[name]
        where = dict(zip(AXES[name], np.indices(shape), strict=True))
        keys.append(address_keys(address(STREAM[name], where.get("week", 0),
                                         where.get("slot", 0), where.get("draw", 0))
                                 ).reshape(-1))
        size = int(np.prod(shape))
        blocks.append((name, slice(offset, offset + size), shape))
        offset += size
        if DISTRIBUTION[name] == NORMAL:
            normals = offset
    flat = np.concatenate(keys)
    flat.setflags(write=False)
    return Layout(flat, normals, tuple(blocks))


CHUNK_NUMBERS = 131_072
"""Numbers drawn together (two work arrays of about 1 MB, which stay in the processor's
cache: drawing a whole block of runs at once would be memory-bound and slower)."""


def draw_run_noise(seed: int, replication: int, weeks: int, members: int) -> RunNoise:
    """Replication ``replication`` of base seed ``seed``'s noise, for ``weeks`` weeks and
    ``members`` slots."""
    batch = draw_batch_noise(seed, [replication], weeks, members)
    return RunNoise(**{name: getattr(batch, name)[0] for name in noise_shapes(weeks, members)})


def draw_batch_noise(seed: int, replications: list[int], weeks: int, members: int,
                     into: RunNoise | None = None, weekly: bool = True) -> RunNoise:
    """The noise of many runs, run axis first, each run's numbers those of its addresses.
    ``into`` lends the arrays of an earlier batch of at least as many runs of the same
    shape (its numbers are overwritten): a batch run in blocks fills one set of arrays,
    not a fresh one per block, whose first touch costs about as much as the draws. Without
    ``weekly`` the weekly streams (``WEEK_STREAMS``) have no weeks (a compiled week
    computes them, :func:`week_noise`)."""
    runs = len(replications)
    shapes = block_shapes(weeks, members, weekly)
    blocks = ({name: np.empty((runs, *shape)) for name, shape in shapes.items()}
              if into is None else {name: getattr(into, name)[:runs] for name in shapes})
    table = layout(weeks, members, weekly)
    keys = run_keys(seed, replications)
    size = table.keys.size
    chunk = max(1, CHUNK_NUMBERS // size)
    bits = np.empty((min(chunk, runs), size), dtype=np.uint64)
    values = np.empty(bits.shape)
    for start in range(0, runs, chunk):
        stop = min(start + chunk, runs)
        u = to_uniform(uniform_bits(keys[start:stop, None], table.keys,
                                    out=bits[:stop - start]), out=values[:stop - start])
        normals = u[:, :table.normals]
        ndtri(normals, out=normals)
        for name, place, shape in table.blocks:
            blocks[name][start:stop] = u[:, place].reshape(stop - start, *shape)
    return RunNoise(**blocks)


def week_noise(keys: np.ndarray, week: np.ndarray | int, members: int,
               work: np.ndarray) -> WeekNoise:
    """The week's noise of the runs whose keys are ``keys`` (:func:`run_keys`), computed
    from the addresses (the numbers ``RunNoise.week(week)`` holds; in numpy or traced in a
    compiled week, with the run's ``work`` draw as it is)."""
    shapes = noise_shapes(1, members)
    parts: dict[str, np.ndarray] = {}
    for name in WEEK_STREAMS:
        shape = shapes[name][1:]
        where = dict(zip(AXES[name][1:], numpy.indices(shape), strict=True))
        address_key = address_keys(address_bits(STREAM[name], week, where.get("slot", 0),
                                                where.get("draw", 0)))
        bits = mix(keys.reshape(-1, *(1,) * len(shape)) + address_key)
        uniform = to_uniform(bits)
        parts[name] = arrays.ndtri(uniform) if DISTRIBUTION[name] == NORMAL else uniform
    return WeekNoise(**parts, work=work)
