"""Small controls of the what-if page: reset and copy, how many configurations, what the
sentence speaks of, and presenter mode (the logic behind them is in
:mod:`simulation.workshop.whatif` and :mod:`simulation.workshop.sentence`)."""

from __future__ import annotations

from collections.abc import Callable

import reacton.ipyvuetify as rv
import solara

from simulation.workshop.sentence import CUMULATIVE, OUTCOME, PER_MEMBER, QUARTER, WITHDRAWAL
from simulation.workshop.sentence import quarter_list as quarters_in_words

AUTO = "auto"
"""The outcome choice that lets the page decide: output per member when the team sizes
differ, team output otherwise."""

OUTCOME_CHOICES: dict[str, str] = {AUTO: "team output (per member if sizes differ)",
                                   OUTCOME: "team output", PER_MEMBER: "output per member"}


@solara.component
def ConfigActions(on_reset: Callable[[], None], on_copy: Callable[[], None]) -> None:
    """Back to the preset's levers (choosing the same preset again changes nothing), and
    B set to A's levers."""
    with solara.Row(style={"gap": "8px"}):
        solara.Button("Reset to the preset", on_click=on_reset, small=True,
                      classes=["teamsim-reset"])
        solara.Button("Copy A to B", on_click=on_copy, small=True, classes=["teamsim-copy"])


@solara.component
def ConfigCount(count: int, on_count: Callable[[int], None], most: int) -> None:
    """How many configurations are compared (2 to ``most``; a new one starts as a copy of
    A)."""
    choices = [str(number) for number in range(2, most + 1)]
    rv.BtnToggle(v_model=choices.index(str(count)), mandatory=True, dense=True,
                 on_v_model=lambda index: on_count(int(choices[index])),
                 class_="teamsim-count",
                 children=[rv.Btn(children=[number], small=True) for number in choices])


def span_items(last: int, withdrawn: tuple[int, ...]) -> list[dict[str, object]]:
    """What the sentence can speak of, as the list offers it: the last quarter first, each
    earlier one, the withdrawal (when a configuration withdraws attention) and the whole
    run."""
    items: list[dict[str, object]] = [{"text": f"the last quarter ({last})", "value": 0}]
    items += [{"text": f"quarter {number}", "value": number} for number in range(1, last)]
    if withdrawn:
        items.append({"text": f"the withdrawal (mean of {quarters_in_words(withdrawn)})",
                      "value": WITHDRAWAL})
    items.append({"text": f"the whole run (cumulative, quarters 1 to {last})",
                  "value": CUMULATIVE})
    return items


def span_choice(chosen: int | str) -> tuple[str, int | None]:
    """A choice of :func:`span_items` as the comparison takes it: (span, quarter)."""
    if isinstance(chosen, str):
        return chosen, None
    return QUARTER, chosen or None


@solara.component
def SpanSelect(span: solara.Reactive[int | str], outcome: solara.Reactive[str], last: int,
               withdrawn: tuple[int, ...]) -> None:
    """What the sentence speaks of: a quarter (the last, 0, by default), the withdrawal or
    the whole run; and team output or output per member."""
    items = span_items(last, withdrawn)
    value = span.value if span.value in [item["value"] for item in items] else 0
    rv.Select(label="The sentence speaks of", v_model=value, on_v_model=span.set,
              dense=True, hide_details=True, class_="teamsim-quarter",
              style_="max-width: 330px", items=items)
    rv.Select(label="Outcome", v_model=outcome.value, on_v_model=outcome.set, dense=True,
              hide_details=True, class_="teamsim-outcome", style_="max-width: 300px",
              items=[{"text": text, "value": value} for value, text in OUTCOME_CHOICES.items()])
