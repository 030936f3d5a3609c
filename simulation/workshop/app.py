"""The workshop's pages, as Solara serves them (``routes``).

- ``/``: the what-if page (:mod:`simulation.workshop.page`), A against B;
- ``/trainer``: the trainer's screen of a participatory room
  (:mod:`simulation.workshop.trainer_page`);
- ``/play?room=CODE``: a participant's page (:mod:`simulation.workshop.participant_page`).

On the network (``teamsim workshop --host``) the what-if page and the trainer's screen need
the trainer's key (:mod:`simulation.workshop.access`); a participant's page needs a room's
code.
"""

from __future__ import annotations

from typing import Any

import solara

from simulation.workshop import access
from simulation.workshop.page import Page as WhatIfPage
from simulation.workshop.participant_page import ParticipantPage
from simulation.workshop.trainer_page import TrainerPage


@solara.component
def WhatIf() -> None:
    """The what-if page, for the trainer."""
    router = solara.use_router()
    if not access.current().is_trainer(router.search):
        solara.Title("TeamSim workshop")
        solara.HTML(tag="div", unsafe_innerHTML=(
            "This page needs the trainer's link. Participants join a room with the room's "
            "link (or the QR code on the trainer's screen)."),
            attributes={"data-testid": "refused"},
            style={"font-size": "1.3rem", "color": "#b00020", "margin": "24px"})
        return
    WhatIfPage()


@solara.component
def Layout(children: Any = ()) -> None:
    """The pages as they are: no navigation bar (participants must not wander to the
    trainer's pages, and the projector shows one page)."""
    with solara.Column(children=list(children), style={"padding": "0"}):
        pass


routes = [
    solara.Route(path="/", component=WhatIf, label="What if?", layout=Layout),
    solara.Route(path="trainer", component=TrainerPage, label="Room"),
    solara.Route(path="play", component=ParticipantPage, label="Play"),
]
