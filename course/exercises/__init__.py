"""The visible checks of every exercise, one module a lesson, called in one line from a test cell.

A test cell stays short (``check_neuron_output()``), so when Validate fails, the tutor's
message comes first and names the exercise. The checks find the student's answer in the
notebook themselves (course.checks.answer), so a blank, a placeholder, missing quotes or a cell
that was never run gets a sentence instead of a NameError. What they print when an answer is
right, and what they say about a named mistake, is sealed (sealed.py): it opens only for that
answer, so reading this package reveals no answer. The hidden tests stay in the test cells,
and every mark is confirmed again by the grader outside the kernel.
"""
