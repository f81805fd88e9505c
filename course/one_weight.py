"""The one-weight problem that lessons 02, 03 and 04 share.

One input ``X``, one weight ``w``, prediction ``w * X``, loss ``(w*X - TARGET)**2``,
training starts at ``START_W``. Its numbers live here only: course.loss, course.backpropagation
and course.gradient_descent import them.
"""
X = 1.5        # the input
TARGET = 1.0   # the right answer
START_W = 0.3  # the weight training starts from
