"""02 loss: references for ``mse_loss`` and the keys of ``predict_mse_output`` and ``quiz_why_square``."""
import math

from .questions import Confirmation, choice, lit, normalized, number, raises_value_error, seen


def mse_loss(predictions, targets):
    return math.fsum((p - t) ** 2 for p, t in zip(predictions, targets, strict=True)) / len(predictions)


def _predicted_line(reply):
    value = (reply or {}).get("value")
    if isinstance(value, str) and normalized(value) == "LOSS:0.1250":
        return None
    return f"`predicted_output` is {seen(value, 60)}, which is not the line the code prints"


def confirmations(rng):
    mean = Confirmation("test_mse_loss", "mse_loss")
    for as_tuple in (False, False, False, False, True):
        n = rng.randint(1, 9)
        predictions = [rng.uniform(-3, 3) for _ in range(n)]
        targets = [rng.uniform(-3, 3) for _ in range(n)]
        wrap = tuple if as_tuple else list
        call = f"mse_loss({lit(wrap(predictions))}, {lit(wrap(targets))})"
        mean.ask(call, number(mse_loss(predictions, targets), call))
    errors = Confirmation("test_mse_loss_errors", "mse_loss").ask("mse_loss([], [])",
                                                                  raises_value_error("mse_loss([], [])"))
    n, m = rng.sample(range(1, 7), 2)
    predictions, targets = [round(rng.random(), 3) for _ in range(n)], [round(rng.random(), 3) for _ in range(m)]
    call = f"mse_loss({lit(predictions)}, {lit(targets)})"
    errors.ask(call, raises_value_error(call))
    predict = Confirmation("test_predict_mse_output", "predict_mse_output").ask("predicted_output", _predicted_line)
    quiz = Confirmation("test_quiz_why_square", "quiz_why_square").ask(
        "why_square_answer", choice("C", "why_square_answer"))
    return [mean, errors, predict, quiz]
