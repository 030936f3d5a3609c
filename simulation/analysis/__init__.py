"""Analysis built on the engines and experiments: is the model right, and what matters?

The validation registry of published patterns and its evidence page, calibration of the
default parameters against them, Sobol sensitivity analysis, and the optimisation of the
leader's mix of interventions.
"""
