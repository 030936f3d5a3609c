"""The array library the week's code calls, numpy unless the week is being compiled.

Every module of the model writes ``from simulation.model.arrays import np`` and calls
``np.exp``, ``np.where`` and the rest as it would numpy's. Outside a compilation ``np`` holds
numpy's own functions (looked up as fast as numpy's module attributes: the Mesa model and
the numpy batched engine pay nothing). While :func:`compiling` is in force, the same names
hold JAX's (``jax.numpy``), so the one source of every equation is traced by JAX into the
compiled engine (:mod:`simulation.engines.compiled`) with no second copy.

The few things numpy does that a traced program cannot (an in-place write, a shortcut taken
only when an array has no nonzero entry, a check of a value) go through the helpers here,
which do numpy's thing on numpy arrays and the traceable equivalent on JAX's:
:func:`is_traced`, :func:`maybe` and :func:`known` (a shortcut's test, as its general path
would go when traced), :func:`keep_where`, :func:`put`, :func:`add` and :func:`divide`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy

_NUMPY: dict[str, Any] = {name: getattr(numpy, name) for name in dir(numpy)
                          if not name.startswith("__")}


class _Namespace:
    """numpy's names as instance attributes (swapped for JAX's while compiling)."""

    def __init__(self) -> None:
        self.__dict__.update(_NUMPY)

    def __getattr__(self, name: str) -> Any:  # names numpy loads lazily
        return getattr(numpy, name)


if TYPE_CHECKING:
    import numpy as np
else:
    np = _Namespace()

_LOCK = threading.RLock()
_STATE = {"depth": 0}


def _jax_names() -> dict[str, Any]:
    """The names of ``np`` while compiling: every numpy name JAX has, and a few stand-ins."""
    import jax.numpy as jnp

    names = {name: getattr(jnp, name) for name in _NUMPY if hasattr(jnp, name)}
    names["errstate"] = lambda **_: contextlib.nullcontext()
    return names


@contextlib.contextmanager
def compiling() -> Iterator[None]:
    """Within this block ``np`` is JAX's array library (for tracing the week; one thread
    traces at a time, and nothing else in the process should run the model meanwhile)."""
    with _LOCK:
        if _STATE["depth"] == 0:
            vars(np).update(_jax_names())
        _STATE["depth"] += 1
        try:
            yield
        finally:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0:
                vars(np).update(_NUMPY)


def is_traced() -> bool:
    """Whether the week is being compiled (``np`` is JAX's)."""
    return _STATE["depth"] > 0


def maybe(condition: Any) -> bool:
    """A shortcut's test (``if maybe(mask.any()): ...work...``): its truth on numpy
    arrays, True when traced (the work is then always done, which gives the same numbers:
    the shortcut only skips work that would change nothing)."""
    return True if is_traced() else bool(condition)


def known(condition: Any) -> bool:
    """A shortcut's test where the shortcut is taken when ``condition`` holds (``acting =
    doses if known(focus == 1) else doses * focus``): its truth on numpy arrays, False
    when traced (the general path, which gives the same numbers)."""
    return False if is_traced() else bool(condition)


def keep_where(new: Any, old: Any, mask: Any) -> Any:
    """``new`` with ``old`` written back where ``mask`` holds (in place on a numpy
    array, returning it; a new array on a JAX one)."""
    if is_traced():
        return np.where(mask, old, new)
    numpy.copyto(new, old, where=mask)
    return new


def put(target: Any, index: Any, values: Any) -> Any:
    """``target`` with ``target[index] = values`` (in place on a numpy array, returning
    it; a new array on a JAX one)."""
    if is_traced():
        return target.at[index].set(values)
    target[index] = values
    return target


def add(target: Any, index: Any, values: Any) -> Any:
    """``target`` with ``target[index] += values`` (in place on a numpy array, returning
    it; a new array on a JAX one)."""
    if is_traced():
        return target.at[index].add(values)
    target[index] += values
    return target


def ndtri(uniform: Any) -> Any:
    """The standard normal quantile (scipy's; JAX's when traced)."""
    if is_traced():
        import jax.scipy.special as jsp

        return jsp.ndtri(uniform)
    from scipy.special import ndtri as scipy_ndtri

    return scipy_ndtri(uniform)


def divide(numerator: Any, denominator: Any, where: Any, fill: float = 0.0) -> Any:
    """``numerator / denominator`` where ``where`` holds, ``fill`` elsewhere (numpy's
    ``divide(..., out=, where=)``, which never divides where it does not hold)."""
    if is_traced():
        safe = np.where(where, denominator, 1.0)
        return np.where(where, numerator / safe, fill)
    out = numpy.full(numpy.broadcast_shapes(numpy.shape(numerator), numpy.shape(denominator),
                                            numpy.shape(where)), fill, dtype=float)
    return numpy.divide(numerator, denominator, out=out, where=where)
