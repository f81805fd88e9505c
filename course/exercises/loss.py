"""Visible checks of lesson 02: ``mse_loss``, the predicted output and the why-square quiz."""
from ..checks import (
    answer,
    as_number,
    check_choice_answer,
    check_close,
    check_sealed,
    check_true,
    fail,
    not_implemented,
    pinned,
    shown,
    typed_line,
    uncommented,
)

EXERCISE = "mse_loss"

# (seal id, call as the student reads it, arguments, expected value, hint)
CASES = [
    ("mse_loss:three_emails", "mse_loss([0.43, 0.91, 0.12], [1.0, 1.0, 0.0])",
     ([0.43, 0.91, 0.12], [1.0, 1.0, 0.0]), 0.1158,
     "square each (prediction - target), add the squares up, then divide by how many there are."),
    ("mse_loss:four_examples", "mse_loss([2.0, -1.0, 0.0, 1.0], [0.5, 1.0, 0.0, 1.0])",
     ([2.0, -1.0, 0.0, 1.0], [0.5, 1.0, 0.0, 1.0]), 1.5625,
     "every example counts, even the ones with no error: divide by the number of examples, 4."),
]

# (arguments, what is wrong with them, hint if mse_loss returned a value instead of raising)
BAD_INPUTS = [
    (([], []), "both lists are empty",
     "an average over zero examples means nothing (numpy gives nan): check for empty input and raise."),
    (([0.5, 0.2, 0.9], [1.0, 0.0]), "there are 3 predictions but 2 targets",
     "zip pairs up what it can without complaint: compare len(predictions) with len(targets) yourself."),
    (([0.5], [1.0, 0.0, 1.0]), "there is 1 prediction but 3 targets",
     "zip and numpy broadcasting both accept this without complaint: compare the lengths yourself."),
]


def check_mse_loss(namespace=None):
    """Check that mse_loss averages the squared differences (the lesson's emails, then a batch of four)."""
    mse_loss = answer("mse_loss", exercise=EXERCISE, kind="function", namespace=namespace)
    for seal_id, call, (predictions, targets), expected, hint in CASES:
        try:
            value = mse_loss(list(predictions), list(targets))
        except NotImplementedError:
            not_implemented("mse_loss", EXERCISE)
        except ValueError as error:
            fail([f"{call} raised ValueError ({error}), but both lists have {pinned.len(predictions)} items.",
                  "Hint: raise ValueError only for an empty list or lists of different lengths."], EXERCISE)
        check_close(as_number(value, call, EXERCISE), expected, call=call, hint=hint, tol=1e-6,
                    exercise=EXERCISE, sealed=seal_id)


def _outcome(mse_loss, predictions, targets):
    """('ValueError', message), (name of another error, message) or ('value', what came back)."""
    try:
        value = mse_loss(predictions, targets)
    except ValueError as error:
        return "ValueError", pinned.str(error)
    except NotImplementedError:
        not_implemented("mse_loss", EXERCISE)
    except Exception as error:
        return type(error).__name__, pinned.str(error)
    return "value", shown(value)


def check_mse_loss_errors(namespace=None):
    """Check that mse_loss refuses empty and unequal-length input with a ValueError that explains itself."""
    mse_loss = answer("mse_loss", exercise=EXERCISE, kind="function", namespace=namespace)
    for args, why, if_returned in BAD_INPUTS:
        call = f"mse_loss{args}"
        kind, detail = _outcome(mse_loss, list(args[0]), list(args[1]))
        happened = f"returned {detail}" if kind == "value" else f"raised {kind}"
        hint = {"value": if_returned,
                "ZeroDivisionError": "dividing by len([]) raised ZeroDivisionError: "
                                     "check for empty input before you divide."
                }.get(kind, 'check the input at the top of the function and `raise ValueError("...")`.')
        check_true(kind == "ValueError", problem=f"{call} should raise ValueError ({why}), but it {happened}.",
                   hint=hint, success=f"{call} raises ValueError: {detail}", exercise=EXERCISE)
        check_true(pinned.len(str.strip(detail)) >= 10,
                   problem=f"The ValueError from {call} should say what is wrong, but its message is {detail!r}.",
                   hint='give the error a sentence, for example raise ValueError("... explain the problem ...").',
                   success="the message explains the problem", exercise=EXERCISE)


def check_predict_mse_output(namespace=None):
    """Check the predicted output of the MSE code (case and spaces do not matter; the digits do)."""
    typed = typed_line("predicted_output", "predict_mse_output", namespace)
    check_sealed(typed, exercise="predict_mse_output", name="predicted_output",
                 problem=f"`predicted_output` = {shown(typed, 60)} is not what the code prints.",
                 hint="work out each squared error, average them, and print the line the way the f-string "
                      "formats it.")


def check_quiz_why_square(namespace=None):
    """Check the answer to the why-square quiz."""
    namespace = uncommented("why_square_answer", "quiz_why_square", namespace)
    check_choice_answer("why_square_answer", exercise="quiz_why_square", options="ABCD", namespace=namespace,
                        hint="reread \"Why square the error?\" above and try each option on the errors "
                             "+0.5 and -0.5 of the cell there.")
