"""Lesson 08 maths: the numbers its notebook and widget show."""
import pytest

from course import classification


def test_a_small_rate_lowers_the_loss_every_step():
    losses = classification.losses(0.1, steps=10)
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[0] == pytest.approx(0.3025)
