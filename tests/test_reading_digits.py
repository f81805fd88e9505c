"""Lesson 09 maths: the numbers its notebook and widget show."""
import pytest

from course import reading_digits


def test_a_small_rate_lowers_the_loss_every_step():
    losses = reading_digits.losses(0.1, steps=10)
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[0] == pytest.approx(0.3025)
