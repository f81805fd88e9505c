"""What a student reads from lesson 05's visible checks: wrong answer in, the right message out."""
import pytest

from course.exercises import training_loop as checks
from tests.support.grading import load_submissions
from tests.support.messages import fails_with, first_failure, passes, run_answer

PREAMBLE = "import math\n\ndef sigmoid(z):\n    return 1 / (1 + math.exp(-z))\n\n"  # as the lesson's cells define


# The same plain loop the round trip's variants are made of, one knob turned to a mistake, and its variant that
# updates after every example.
SUBMISSIONS = load_submissions("05_training_loop")
loop, PER_EXAMPLE = SUBMISSIONS.loop, SUBMISSIONS.PER_EXAMPLE

STUB = '''def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    losses = []
    for epoch in range(epochs):
        raise NotImplementedError("write the training loop")
    return w0, w1, bias, losses
'''

LOOP_CHECKS = [checks.check_implement_loop_shape, checks.check_implement_loop_loss_falls,
               checks.check_implement_loop_trajectory, checks.check_implement_loop_report]

MISTAKES = [  # (train_neuron, the check that must name it first, words the message must hold)
    (loop(sign="+"), checks.check_implement_loop_loss_falls, "flip the sign of the update"),
    (loop(lr="1.0"), checks.check_implement_loop_trajectory, "leave out the learning rate"),
    (loop(deriv=""), checks.check_implement_loop_trajectory, "leave out the sigmoid's derivative"),
    (loop(two=""), checks.check_implement_loop_trajectory, "drop the factor 2"),
    (loop(mean=""), checks.check_implement_loop_trajectory, "add up the gradients of the four examples"),
    (PER_EXAMPLE, checks.check_implement_loop_trajectory, "update after every single example"),
    (loop(record="after"), checks.check_implement_loop_trajectory, "record the loss after the update"),
    (loop(ret="losses[-1]"), checks.check_implement_loop_shape, "losses should be a list of 10 numbers"),
    (loop(ret="losses[-1], losses"), checks.check_implement_loop_shape, "should return four things"),
]


def _answer(source):
    return run_answer(PREAMBLE + source)


@pytest.mark.parametrize("source,check,words", MISTAKES, ids=[m[2] for m in MISTAKES])
def test_each_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    message = first_failure(PREAMBLE + source, LOOP_CHECKS, check, "implement_loop")
    assert words in message


def test_the_sign_flip_is_named_again_by_the_trajectory_check():
    message = fails_with(checks.check_implement_loop_trajectory, _answer(loop(sign="+")))
    assert "The final w0" in message and "flip the sign of the update" in message


def test_no_mistake_is_named_before_it_is_made():
    """Only the value a mistake produces opens its description: the right loop sees none of them."""
    namespace = _answer(loop())
    for check in LOOP_CHECKS:
        assert "That is the value you get" not in passes(check, namespace)


def test_right_loop_passes_every_check():
    namespace = _answer(loop())
    assert "one loss per epoch" in passes(checks.check_implement_loop_shape, namespace)
    assert "from 0.2803 to 0.02409" in passes(checks.check_implement_loop_loss_falls, namespace)
    assert "The final w0 = 1.987" in passes(checks.check_implement_loop_trajectory, namespace)
    assert "six report lines" in passes(checks.check_implement_loop_report, namespace)


@pytest.mark.parametrize("source", [loop(mean=""), PER_EXAMPLE, loop(two="")],
                         ids=["summed gradients", "per-example updates", "no factor 2"])
def test_report_says_the_trajectory_is_wrong_instead_of_blaming_the_printing(source):
    message = fails_with(checks.check_implement_loop_report, _answer(source))
    assert "the losses your loop computes are not right yet" in message
    assert "test_implement_loop_trajectory" in message
    assert "Epoch {epoch:4d}" not in message and "report_every" not in message


def test_report_shows_printed_lines_exactly_and_hints_at_the_format_when_losses_are_right():
    message = fails_with(checks.check_implement_loop_report,
                         _answer(loop(report='print(f"Epoch {epoch:4d} | loss={loss:.3f}")')))
    assert "'Epoch    0 | loss=0.280'" in message  # as printed, padding kept
    assert "'Epoch    0 | loss=0.2803'" in message and 'f"Epoch {epoch:4d} | loss={loss:.4f}"' in message


def test_report_hints_at_the_condition_when_lines_are_missing():
    message = fails_with(checks.check_implement_loop_report, _answer(loop(every="epoch % report_every == 1")))
    assert "printed 6 lines" not in message and "'Epoch    1 | loss=0.2791'" in message
    assert "line 1 of the report should read 'Epoch    0 | loss=0.2803'" in message and "report_every" in message
    message = fails_with(checks.check_implement_loop_report, _answer(loop(every="epoch % 1000 == 0")))
    assert "printed 3 lines" in message and "epoch % report_every == 0" in message
    assert "'Epoch 1000 | loss=0.0650'" in message


def test_report_accepts_other_padding_and_the_printed_loss_after_the_update_is_still_a_right_report():
    passes(checks.check_implement_loop_report, _answer(loop(report='print(f"Epoch {epoch} |  loss={loss:.4f}")')))
    passes(checks.check_implement_loop_report, _answer(loop(record="after")))


def test_later_checks_with_a_broken_shape_point_to_the_shape_check():
    namespace = _answer(loop(ret="losses[-1]"))
    for check in LOOP_CHECKS[1:3]:
        assert "test_implement_loop_shape" in fails_with(check, namespace)
    passes(checks.check_implement_loop_report, namespace)  # what it prints is right all the same
    message = fails_with(checks.check_implement_loop_report, _answer(loop(ret="losses[-1]", every="False")))
    assert "test_implement_loop_shape" in message and "report_every" not in message


@pytest.mark.parametrize("source,words", [
    ("", "The function `train_neuron` is not defined yet"),
    (STUB, "still raises NotImplementedError"),
    ("def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):\n"
     "    return ___\n", "blanks `___`"),
])
def test_missing_or_unfinished_loop(source, words):
    namespace = run_answer(source)
    for check in LOOP_CHECKS:
        assert words in fails_with(check, namespace)


# ------------------------------------------------------------------ order_steps
ORDER_HINT = "match each line to one of the four steps"


@pytest.mark.parametrize("source", ['step_order = ["C", "D", "A", "B"]', 'step_order = " c, d, a, b "',
                                    'step_order = "CDAB"', "step_order = (' c', 'd ', 'A', 'b')"])
def test_order_right_in_any_spelling(source):
    assert "forward pass (C), loss (D)" in passes(checks.check_order_steps, run_answer(source))


@pytest.mark.parametrize("order,words", [
    ("CADB", "before it assigns the blame"), ("ACDB", "the gradient line comes first"),
    ("DCAB", "before there is an `output`"), ("CDBA", "before the line that computes it"),
    ("BCDA", "no line has computed yet"), ("ABCD", "order the lines are listed in"),
    ("DBCA", None), ("BADC", None),
])
def test_a_wrong_order_gets_one_message_that_places_no_step(order, words):
    message = fails_with(checks.check_order_steps, run_answer(f"step_order = {list(order)!r}"))
    assert message.startswith("order_steps: not yet.") and ORDER_HINT in message
    assert (words in message) if words else "Here" not in message and "That" not in message
    for giveaway in ("start with", "end with", "forward pass, loss", "backpropagation", "(C)"):
        assert giveaway not in message


@pytest.mark.parametrize("source,words", [
    ('step_order = ["?", "?", "?", "?"]', 'still holds the placeholder "?"'),
    ("step_order = [C, D, A, B]", "have no quotes (C, D, A, B)"),
    ("step_order = CDAB", "have no quotes (CDAB)"),
    ('step_order = ["A", "A", "B", "C"]', "each of the letters A, B, C and D exactly once"),
    ("step_order = 4", "each of the letters A, B, C and D exactly once"),
    ("", "The variable `step_order` is not defined yet"),
])
def test_order_unfinished_answers(source, words):
    message = fails_with(checks.check_order_steps, run_answer(source))
    assert message.startswith("order_steps: not yet.") and words in message


# ------------------------------------------------------------------ quiz_updates_per_epoch
@pytest.mark.parametrize("source", ["updates_per_epoch = 20", "updates_per_epoch = 20.0",
                                    "updates_per_epoch = 1000 // 50"])
def test_quiz_right(source):
    assert "20 updates per epoch" in passes(checks.check_quiz_updates_per_epoch, run_answer(source))


@pytest.mark.parametrize("value,words", [(50, "the batch size"), (1000, "one update per example"),
                                         (1, "one update per epoch"), (50000, "multiplies the two numbers"),
                                         (25, None)])
def test_quiz_wrong_values(value, words):
    message = fails_with(checks.check_quiz_updates_per_epoch, run_answer(f"updates_per_epoch = {value}"))
    assert message.startswith("quiz_updates_per_epoch: not yet.") and f"= {value} is not right yet" in message
    assert "how many batches of 50" in message and "20" not in message.replace("updates_per_epoch", "")
    if words:
        assert words in message


@pytest.mark.parametrize("source,words", [
    ("updates_per_epoch = ...  # replace ... with a whole number", "still the placeholder `...`"),
    ('updates_per_epoch = "20"', "the quotes make it a string, not a number"),
    ("updates_per_epoch = [20]", "should be one number"),
    ("", "The variable `updates_per_epoch` is not defined yet"),
])
def test_quiz_unfinished_answers(source, words):
    message = fails_with(checks.check_quiz_updates_per_epoch, run_answer(source))
    assert message.startswith("quiz_updates_per_epoch: not yet.") and words in message
    assert "return" not in message and "ellipsis" not in message
