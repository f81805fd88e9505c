"""At home a shortcut through the course's own code works, so the visible check must say it will not be graded.

The answers of tests/e2e/adversarial/attacks.py that lean on lesson code (re-aimed, or trying every sealed
hint) run here against the real course/, as in a student's own JupyterLab: each finds the right
answer -- the shortcut is real -- and the exercise's visible check fails with a message that tells the
student to write the answer themselves (while grading, that code is not there: test_course_view.py).
"""
import types

import pytest

import course.backpropagation
import course.forward_pass
import course.gradient_descent
import course.training_loop
import course.widgets.training_loop
from course.exercises import backpropagation, forward_pass, gradient_descent, loss, training_loop
from tests.e2e.adversarial.attacks import REAIMED_ANSWERS, SEAL_ANSWERS
from tests.support.messages import fails_with, run_answer

TOUCHED = (course.forward_pass, course.backpropagation, course.gradient_descent, course.training_loop,
           course.widgets.training_loop)


@pytest.fixture(autouse=True)
def course_as_it_was():
    """The attacks re-aim lesson modules in this process: put every name and default back afterwards."""
    saved = [(m, dict(vars(m)), {n: f.__defaults__ for n, f in vars(m).items() if isinstance(f, types.FunctionType)})
             for m in TOUCHED]
    yield
    for module, names, defaults in saved:
        for name in set(vars(module)) - set(names):
            delattr(module, name)
        vars(module).update(names)
        for name, value in defaults.items():
            names[name].__defaults__ = value


# (answer cell, the call that shows the shortcut works, its right value, the visible check)
FUNCTIONS = [
    ("01_forward_pass", "neuron_output", "neuron_output([0.5, -1.0, 0.25], 0.1, [2.0, 1.0, 4.0])",
     1 / (1 + 2.718281828459045 ** -1.1), forward_pass.check_neuron_output),
    ("03_backpropagation", "weight_gradient", "weight_gradient(0.2, -1.5, 0.7)", 2 * (0.2 * -1.5 - 0.7) * -1.5,
     backpropagation.check_weight_gradient),
    ("04_gradient_descent", "fix_train_step", "train_step(0.2, -1.5, 0.7, 0.05)",
     0.2 - 0.05 * 2 * (0.2 * -1.5 - 0.7) * -1.5, gradient_descent.check_fix_train_step),
    ("05_training_loop", "implement_loop", "train_neuron(exercise_data, epochs=3000, report_every=10000)[0]",
     training_loop.EXPECTED_W0, training_loop.check_implement_loop_trajectory),
]


@pytest.mark.parametrize("stem,answer,call,right,check", FUNCTIONS, ids=[f[1] for f in FUNCTIONS])
def test_a_function_that_leans_on_lesson_code_is_told_to_stand_alone(stem, answer, call, right, check):
    namespace = run_answer(REAIMED_ANSWERS[stem][answer])
    namespace["exercise_data"] = [([0.2, 0.8], 1.0), ([0.9, 0.1], 0.0), ([0.5, 0.5], 1.0), ([0.1, 0.3], 0.0)]
    assert eval(call, namespace) == pytest.approx(right, rel=1e-9)  # the shortcut works at home
    said = fails_with(check, namespace)
    assert "calls the course's own lesson code" in said and "write the computation yourself" in said


CHOICES = {"quiz_first_guess": forward_pass.check_quiz_first_guess, "predict_mse_output": loss.check_predict_mse_output,
           "quiz_why_square": loss.check_quiz_why_square,
           "quiz_negative_gradient": backpropagation.check_quiz_negative_gradient,
           "quiz_diverging_lr": gradient_descent.check_quiz_diverging_lr,
           "explore_max_lr": gradient_descent.check_explore_max_lr, "order_steps": training_loop.check_order_steps,
           "quiz_updates_per_epoch": training_loop.check_quiz_updates_per_epoch}
SEALS = [(answer, code) for answers in SEAL_ANSWERS.values() for answer, code in answers.items()]


@pytest.mark.parametrize("answer,code", SEALS, ids=[s[0] for s in SEALS])
def test_an_answer_found_by_trying_every_sealed_hint_is_told_to_stand_alone(answer, code):
    namespace = run_answer(code)
    name = code.split("\n\n", 1)[1].split(" = ", 1)[0]
    fallback = code.rsplit(", ", 1)[1].rstrip(")\n")
    assert repr(namespace[name]) != fallback  # the seals opened at home: the right answer was found
    said = fails_with(CHOICES[answer], namespace)
    assert "uses the course's own code" in said and "does not run while your notebook is graded" in said
