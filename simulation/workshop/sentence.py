"""The what-if comparison in words, for the room: a direction only where the 95% interval
says so, "no clear difference" where it spans zero, and "the same" where nothing moved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OUTCOME = "team_output"
"""The outcome the sentence speaks of when both teams are the same size."""

PER_MEMBER = "output_per_member"
"""The outcome it speaks of when the team sizes differ (team totals would mostly count
heads)."""

OUTCOME_WORDS = {OUTCOME: "team output", PER_MEMBER: "output per member"}


def percent(share: float, signed: bool = False) -> str:
    """A share as a percentage for the room: whole numbers, a decimal below 1%, and a true
    minus sign when ``signed``."""
    value = 100 * share
    text = f"{abs(value):.0f}" if abs(value) >= 0.95 else f"{abs(value):.1f}"
    if not signed:
        return f"{text}%"
    sign = "" if float(text) == 0 else ("+" if value > 0 else "\u2212")
    return f"{sign}{text}%"


def difference_sentence(row: Mapping[str, Any], quarter: int,
                        outcome: str = OUTCOME) -> str:
    """B against A in words, from a paired comparison's row (``difference``, ``low``,
    ``high``, ``relative``, ``relative_low``, ``relative_high``): "the same" when every run
    ends the same, a direction only when the 95% interval excludes zero, otherwise "no
    clear difference" with the interval."""
    words = OUTCOME_WORDS.get(outcome, outcome.replace("_", " "))
    where = f"in {words} in quarter {quarter}"
    if row["difference"] == 0 and row["low"] == 0 and row["high"] == 0:
        return (f"B and A end exactly the same {where}: what B changes makes no "
                f"difference to it here.")
    relative, low, high = row["relative"], row["relative_low"], row["relative_high"]
    if row["low"] > 0 or row["high"] < 0:
        higher = row["difference"] > 0
        near, far = (low, high) if higher else (high, low)
        return (f"B ends {percent(abs(relative))} {'higher' if higher else 'lower'} than A "
                f"{where} (95% interval {percent(abs(near))} to {percent(abs(far))}).")
    return (f"B and A show no clear difference {where} (95% interval "
            f"{percent(low, signed=True)} to {percent(high, signed=True)}).")
