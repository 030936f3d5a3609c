"""The what-if comparison in words, for the room: a direction only where the 95% interval
says so, "no clear difference" where it spans zero, and "the same" where nothing moved.

The sentence speaks of a span of the run (:class:`Span`): one quarter (by default the
last), the quarters of withdrawn attention (their mean), or the whole run (output summed
over its quarters); and of team output or of output per member.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

OUTCOME = "team_output"
"""The outcome the sentence speaks of when both teams are the same size."""

PER_MEMBER = "output_per_member"
"""The outcome it speaks of when the team sizes differ (team totals would mostly count
heads)."""

OUTCOME_WORDS = {OUTCOME: "team output", PER_MEMBER: "output per member"}

QUARTER = "quarter"
"""A span of one quarter: the outcome in it."""

WITHDRAWAL = "withdrawal"
"""The quarters of withdrawn attention: the outcome's mean over them."""

CUMULATIVE = "cumulative"
"""Every quarter from the first: the outcome summed over them."""

SPANS: dict[str, str] = {QUARTER: "a quarter", WITHDRAWAL: "the withdrawal (mean)",
                         CUMULATIVE: "the whole run (cumulative)"}
"""What the sentence can speak of, with its name on the page."""


def quarter_list(quarters: Sequence[int]) -> str:
    """Quarters in words, runs joined: "quarters 5 to 8", "quarters 2 to 3 and 7", "quarter 4"."""
    runs: list[list[int]] = []
    for quarter in sorted(quarters):
        if runs and quarter == runs[-1][-1] + 1:
            runs[-1].append(quarter)
        else:
            runs.append([quarter])
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs]
    plural = len(quarters) > 1
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"quarter{'s' if plural else ''} {joined}"


@dataclass(frozen=True)
class Span:
    """The part of the run the sentence speaks of: ``kind`` (QUARTER, WITHDRAWAL or
    CUMULATIVE) and its quarters."""

    kind: str
    quarters: tuple[int, ...]

    @property
    def last(self) -> int:
        """The span's last quarter (the numbers under the chart show it)."""
        return self.quarters[-1]

    def where(self, outcome: str) -> str:
        """Where the difference lies, in words: "in team output in quarter 12"."""
        words = OUTCOME_WORDS.get(outcome, outcome.replace("_", " "))
        if self.kind == WITHDRAWAL:
            return (f"in {words} over the withdrawal (the mean of "
                    f"{quarter_list(self.quarters)})")
        if self.kind == CUMULATIVE:
            return f"in cumulative {words} over {quarter_list(self.quarters)}"
        return f"in {words} in quarter {self.last}"


def percent(share: float, signed: bool = False) -> str:
    """A share as a percentage for the room: whole numbers, a decimal below 1%, and a true
    minus sign when ``signed``."""
    value = 100 * share
    text = f"{abs(value):.0f}" if abs(value) >= 0.95 else f"{abs(value):.1f}"
    if not signed:
        return f"{text}%"
    sign = "" if float(text) == 0 else ("+" if value > 0 else "\u2212")
    return f"{sign}{text}%"


def difference_sentence(row: Mapping[str, Any], span: int | Span, outcome: str = OUTCOME,
                        versus: str = "B", reference: str = "A") -> str:
    """``versus`` against ``reference`` in words, from a paired comparison's row
    (``difference``, ``low``, ``high``, ``relative``, ``relative_low``, ``relative_high``)
    over ``span`` (a quarter's number, or a :class:`Span`): "the same" when every run ends
    the same, a direction only when the 95% interval excludes zero, otherwise "no clear
    difference" with the interval."""
    if isinstance(span, int):
        span = Span(QUARTER, (span,))
    where = span.where(outcome)
    at_end = span.kind == QUARTER
    pair = f"{versus} and {reference}"
    if row["difference"] == 0 and row["low"] == 0 and row["high"] == 0:
        return (f"{pair} {'end' if at_end else 'are'} exactly the same {where}: what "
                f"{versus} changes makes no difference to it here.")
    relative, low, high = row["relative"], row["relative_low"], row["relative_high"]
    if row["low"] > 0 or row["high"] < 0:
        higher = row["difference"] > 0
        near, far = (low, high) if higher else (high, low)
        return (f"{versus} {'ends' if at_end else 'is'} {percent(abs(relative))} "
                f"{'higher' if higher else 'lower'} than {reference} {where} (95% interval "
                f"{percent(abs(near))} to {percent(abs(far))}).")
    return (f"{pair} show no clear difference {where} (95% interval "
            f"{percent(low, signed=True)} to {percent(high, signed=True)}).")
