"""The workshop: a what-if page in the browser for trainers (`teamsim workshop`).

- :mod:`simulation.workshop.server` serves the page on 127.0.0.1 (Solara on uvicorn).
- :mod:`simulation.workshop.page` is the page: presets, levers for configuration A and B,
  the comparison chart and its sentence, export.
- :mod:`simulation.workshop.team_view` shows one run of the Mesa agents week by week: the
  team's climate, its ties (drawn by :mod:`simulation.workshop.ties_svg`) and its members.

The engine behind it is :mod:`simulation.workshop.whatif`, with the sentence under the chart
in :mod:`simulation.workshop.sentence`, whether a strategy reads the team at all (so that the
diagnosis levers can move it) in :mod:`simulation.workshop.readings`, and the reset and copy
buttons in :mod:`simulation.workshop.controls`; this package only lays it out. Every
browser session has its own state (Solara keeps component state per session), so two
participants moving sliders at once do not see each other's changes.
"""
