"""The engines that run the model: the Mesa agent model and the batched engine.

:mod:`~simulation.engines.mesa_model` is a real Mesa model (``TeamMember`` and ``Leader``
agents in :mod:`~simulation.engines.agents`) driven by SimPy processes
(:mod:`~simulation.engines.simpy_calendar`); :mod:`~simulation.engines.batch` runs many
replications at once as arrays ``(runs, members)``. Both call the same week
(:mod:`simulation.model.week`) and the same calendar rules
(:mod:`simulation.model.calendar_rules`), so replication k gives the same numbers in each.
Importing this package imports neither engine; the batched engine does not import Mesa.
"""
