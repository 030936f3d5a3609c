"""Analysis built on the engines and experiments: is the model right, and what matters?

The validation registry of published patterns and its evidence page, calibration of the
default parameters against them, sensitivity analysis (Sobol indices and Morris screening),
the gap decomposition between good and poor leaders, the optimisation of the leader's mix
of interventions, and the adapter to the EMA Workbench for exploratory modelling.
"""
