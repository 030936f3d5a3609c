"""Small controls of the what-if page: the reset and copy buttons and the sentence's
quarter (the logic behind them is in :mod:`simulation.workshop.whatif`)."""

from __future__ import annotations

from collections.abc import Callable

import reacton.ipyvuetify as rv
import solara


@solara.component
def ConfigActions(on_reset: Callable[[], None], on_copy: Callable[[], None]) -> None:
    """Back to the preset's levers (choosing the same preset again changes nothing), and
    B set to A's levers."""
    with solara.Row(style={"gap": "8px"}):
        solara.Button("Reset to the preset", on_click=on_reset, small=True,
                      classes=["teamsim-reset"])
        solara.Button("Copy A to B", on_click=on_copy, small=True, classes=["teamsim-copy"])


@solara.component
def QuarterSelect(quarter: solara.Reactive[int], last: int) -> None:
    """Which quarter the sentence speaks of: the last (0, the default) or an earlier one."""
    rv.Select(label="The sentence speaks of quarter", v_model=quarter.value,
              on_v_model=quarter.set, dense=True, hide_details=True,
              class_="teamsim-quarter", style_="max-width: 220px",
              items=[{"text": f"the last ({last})", "value": 0},
                     *({"text": str(number), "value": number} for number in range(1, last))])
