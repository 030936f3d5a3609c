"""A strategy's memory, kept per run: the context it may be given and the copies that keep
what it holds in its own variables from leaking between runs.

A strategy that remembers (what it tried, what it saw) must remember it for one run only:
replication 3 must not see what replication 2 did, and the batched engine must give every
run what the Mesa model gives it. Two things make that so, the same in both engines:

* **The context.** A strategy that takes a third parameter, ``context``, is given a
  :class:`StrategyContext` every week: which run it leads (scenario, seed, replication),
  the week, a ``memory`` dictionary of its own that starts empty in every run, and its own
  last plans and observations. Memory belongs there.
* **Per-run copies.** Every run is led by its own copy of the strategy function: the
  variables a closure holds (``nonlocal`` counters, lists, dictionaries), its default
  arguments and a callable object's attributes are copied, as they were when it was
  registered, for each run. A strategy that keeps memory in a closure therefore gets a
  fresh memory per run too. A read-only numpy array (``table.flags.writeable = False``) is
  shared instead: a large lookup table is then not copied for every run. What cannot be
  copied per run, a module's global variables, is refused: a strategy that assigns a
  global name (``global count``) is rejected when it is registered, naming the variable.

A vectorised strategy plans a batch of runs in one call (arrays ``(runs, members)``), so
the batched engine gives it one context and one copy per batch: its ``replication`` is then
the batch's replications, an array, and what it keeps in ``memory`` should keep the runs'
axis, as its observation does. The Mesa model gives it one run: a number and no run axis.
"""

from __future__ import annotations

import copy
import dis
import inspect
import types
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from simulation.model.arrays import np
from simulation.model.config import WEEKS_PER_QUARTER
from simulation.model.diagnosis import Observation

HISTORY_WEEKS = WEEKS_PER_QUARTER
"""How many of its last plans and observations a strategy's context keeps (a quarter);
longer memory is the strategy's to keep in ``context.memory``."""


@dataclass
class StrategyContext:
    """What a strategy knows of the run it leads, beyond this week's observation.

    Given to strategies that take a third parameter (``def plan(observation, hours,
    context)``). One context lives as long as one run (in the batched engine, for a
    vectorised strategy, one batch of runs): ``memory`` starts empty and is the strategy's
    own; ``plans`` and ``observations`` are its own last answers (the hours per member and
    intervention it asked for, after the model's checks) and readings, oldest first, at
    most :data:`HISTORY_WEEKS` of each.
    """

    scenario: str
    """The scenario's name."""
    seed: int
    """The run's base seed."""
    replication: int | np.ndarray
    """The run's replication (for a vectorised strategy in a batch: the batch's, an
    array)."""
    week: int = 0
    """The week being planned (0-based)."""
    memory: dict[str, Any] = field(default_factory=dict)
    """The strategy's own store, empty at the start of every run."""
    _plans: deque[np.ndarray] = field(default_factory=lambda: deque(maxlen=HISTORY_WEEKS),
                                      repr=False)
    _observations: deque[Observation] = field(
        default_factory=lambda: deque(maxlen=HISTORY_WEEKS), repr=False)

    @property
    def quarter(self) -> int:
        """The quarter being planned (1-based)."""
        return self.week // WEEKS_PER_QUARTER + 1

    @property
    def plans(self) -> tuple[np.ndarray, ...]:
        """Its last plans, oldest first (read-only arrays)."""
        return tuple(self._plans)

    @property
    def observations(self) -> tuple[Observation, ...]:
        """What it observed in the weeks of :attr:`plans`, oldest first."""
        return tuple(self._observations)

    def remember(self, observation: Observation, plan: np.ndarray) -> None:
        """Keep a week's observation and (a read-only copy of) its checked plan."""
        kept = np.array(plan, dtype=float)
        kept.flags.writeable = False
        self._observations.append(observation)
        self._plans.append(kept)


class StrategyMemoryError(ValueError):
    """A strategy keeps memory where no run can have its own: in a module's globals."""


def takes_context(plan: Callable[..., Any]) -> bool:
    """Whether a strategy wants its context: a third positional parameter, or one named
    ``context``."""
    try:
        parameters = list(inspect.signature(plan).parameters.values())
    except (TypeError, ValueError):
        return False
    if any(parameter.name == "context" for parameter in parameters):
        return True
    positional = [parameter for parameter in parameters if parameter.kind in (
        parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 3 or any(parameter.kind is parameter.VAR_POSITIONAL
                                       for parameter in parameters)


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _code_objects(constant)


def _function_of(plan: Callable[..., Any]) -> types.FunctionType | None:
    """The Python function behind a plan (a function, a bound method, a callable object's
    ``__call__``), if there is one."""
    if isinstance(plan, types.FunctionType):
        return plan
    if isinstance(plan, types.MethodType) and isinstance(plan.__func__, types.FunctionType):
        return plan.__func__
    call = vars(type(plan)).get("__call__")
    return call if isinstance(call, types.FunctionType) else None


def global_writes(plan: Callable[..., Any]) -> list[str]:
    """The global names a strategy's code assigns (``global x; x = ...``)."""
    function = _function_of(plan)
    if function is None:
        return []
    names: list[str] = []
    for code in _code_objects(function.__code__):
        for instruction in dis.get_instructions(code):
            if instruction.opname in ("STORE_GLOBAL", "DELETE_GLOBAL") and \
                    instruction.argval not in names:
                names.append(str(instruction.argval))
    return names


def check_memory(plan: Callable[..., Any], title: str) -> None:
    """Refuse a strategy that keeps memory in module globals (no run could have its own)."""
    names = global_writes(plan)
    if names:
        raise StrategyMemoryError(
            f"{title} assigns the global variable {names[0]!r}: memory kept in a module's "
            f"globals is shared by every run and leaks from one replication to the next; "
            f"keep it in context.memory (take a third parameter, context) or in a closure")


def _fresh(value: Any, memo: dict[int, Any]) -> Any:
    """A run's own copy of what a strategy holds (functions with state copied the same
    way; modules, classes and what cannot be copied are shared)."""
    if isinstance(value, (types.ModuleType, type, types.BuiltinFunctionType)):
        return value
    if isinstance(value, np.ndarray) and not value.flags.writeable:
        return value  # a read-only table: nothing a run could change, shared, not copied
    if isinstance(value, types.FunctionType):
        return fresh_plan(value, memo)
    try:
        return copy.deepcopy(value, memo)
    except Exception:  # a resource (a lock, a file): shared, as it cannot be copied
        return value


def fresh_plan(plan: Callable[..., Any], memo: dict[int, Any] | None = None
               ) -> Callable[..., Any]:
    """A copy of a strategy for one run: its closure's variables, default arguments and (for
    a callable object or a bound method) its object's attributes copied as they are now, so
    that what one run changes in them no other run sees. A function without state is
    returned as it is."""
    memo = {} if memo is None else memo
    if id(plan) in memo:
        return memo[id(plan)]
    if isinstance(plan, types.FunctionType):
        if not plan.__closure__ and not plan.__defaults__ and not plan.__kwdefaults__:
            return plan
        cells = (tuple(types.CellType() for _ in plan.__closure__) if plan.__closure__
                 else None)
        copied = types.FunctionType(plan.__code__, plan.__globals__, plan.__name__,
                                    None, cells)
        memo[id(plan)] = copied  # before its contents: a function may refer to itself
        for original, cell in zip(plan.__closure__ or (), cells or (), strict=True):
            if _has_contents(original):
                cell.cell_contents = _fresh(original.cell_contents, memo)
        copied.__defaults__ = _fresh(plan.__defaults__, memo)
        copied.__kwdefaults__ = _fresh(plan.__kwdefaults__, memo)
        copied.__dict__.update(plan.__dict__)
        copied.__qualname__ = plan.__qualname__
        copied.__doc__ = plan.__doc__
        copied.__module__ = plan.__module__
        return copied
    if isinstance(plan, types.MethodType):
        return types.MethodType(fresh_plan(plan.__func__, memo),
                                _fresh(plan.__self__, memo))
    if isinstance(plan, (types.BuiltinFunctionType, type)):
        return plan
    return _fresh(plan, memo)  # a callable object: its attributes copied


def _has_contents(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (an empty cell raises)
    except ValueError:
        return False
    return True
