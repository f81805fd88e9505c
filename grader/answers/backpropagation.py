"""03 backpropagation: references for the three gradients and the key of ``quiz_negative_gradient``."""
import math

from .questions import Confirmation, choice, lit, number, seen


def weight_gradient(w, x, target):
    return 2.0 * (w * x - target) * x


def central_difference(f, w, eps):
    return (f(w + eps) - f(w - eps)) / (2 * eps)


def chain_gradients(w1, w2, x, target):
    hidden = w1 * x
    blame = 2.0 * (w2 * hidden - target)
    return blame * w2 * x, blame * hidden


def _eps_default(reply):
    value = (reply or {}).get("value")
    return None if isinstance(value, float) and value == 1e-6 else \
        f"numerical_gradient's eps defaults to {seen(value, 40)}, not to the value the exercise's first line gives"


def confirmations(rng):
    gradient = Confirmation("test_weight_gradient", "weight_gradient")
    for _ in range(6):
        w, x, target = (rng.uniform(-3, 3) for _ in range(3))
        call = f"weight_gradient({lit(w)}, {lit(x)}, {lit(target)})"
        gradient.ask(call, number(weight_gradient(w, x, target), call))

    numerical = Confirmation("test_numerical_gradient", "numerical_gradient")
    for _ in range(4):
        a, b, c, d = (rng.uniform(-2, 2) for _ in range(4))
        w, eps = rng.uniform(-2, 2), rng.uniform(0.05, 0.5)

        def cubic(v, a=a, b=b, c=c, d=d):
            return a * v ** 3 + b * v ** 2 + c * v + d
        call = (f"numerical_gradient(lambda v: {lit(a)} * v ** 3 + {lit(b)} * v ** 2 + {lit(c)} * v + {lit(d)}, "
                f"{lit(w)}, {lit(eps)})")
        numerical.ask(call, number(central_difference(cubic, w, eps), call))
    w, eps = rng.uniform(-2, 2), rng.uniform(0.1, 0.5)
    call = f"numerical_gradient(__import__('math').sin, {lit(w)}, eps={lit(eps)})"
    numerical.ask(call, number(central_difference(math.sin, w, eps), call))
    numerical.ask("__import__('inspect').signature(numerical_gradient).parameters['eps'].default", _eps_default)

    second = Confirmation("test_chain_gradients_w2", "chain_gradients")
    first = Confirmation("test_chain_gradients_w1", "chain_gradients")
    for _ in range(5):
        args = [rng.uniform(-2, 2) for _ in range(4)]
        call = f"chain_gradients({', '.join(lit(a) for a in args)})"
        d_w1, d_w2 = chain_gradients(*args)
        second.ask(call, number(d_w2, f"dL/dw2 of {call}", pick=lambda v: v[1] if len(v) == 2 else None))
        first.ask(call, number(d_w1, f"dL/dw1 of {call}", pick=lambda v: v[0]))
    quiz = Confirmation("test_quiz_negative_gradient", "quiz_negative_gradient").ask(
        "negative_gradient_answer", choice("D", "negative_gradient_answer"))
    return [gradient, numerical, second, first, quiz]
