"""How Networks Learn: the helper package the notebooks import.

Notebooks narrate, this package computes (demo maths, plots, widgets, friendly checks).
It never holds an exercise answer or a hidden test. Instructor tooling lives in
``course.nbgrader_ext``.
"""
__version__ = "0.1.0"
