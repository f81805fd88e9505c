"""How Networks Learn: the helper package the notebooks import.

Notebooks narrate, this package computes (demo maths, plots, widgets, friendly checks).
It holds no exercise answer, no hidden test and no grading machinery: the grading sandbox
mounts it where student code runs. The instructor and CI side is the ``grader`` package.
"""
__version__ = "0.1.0"
