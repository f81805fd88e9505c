"""Visible checks of lesson 08: ``softmax``, ``cross_entropy``, the predicted line, ``softmax_ce_gradient``,
the quiz and the find-the-bug ``accuracy``.

Each check calls the student's function on a few fixed examples (the lesson's arrays and some
others) and compares with the values below: those expected values, written down, not a way to
compute them for other inputs. A wrong value that a known mistake produces is named (the
descriptions are sealed, course/exercises/sealed.py).
"""
import numpy as np

from ..checks import (
    answer,
    apart,
    as_number,
    check_choice_answer,
    check_sealed,
    close,
    fail,
    last_source_defining,
    not_implemented,
    passed,
    pinned,
    reveal,
    shown,
    statements,
    typed_line,
    user_namespace,
)

TOL = 1e-6


# ------------------------------------------------------------------ shared helpers
def _show(value):
    """A number, a row or a matrix as a reader wants it: 4 significant digits."""
    return shown(value)


def _literal(rows):
    """A matrix as the np.array(...) call a student can paste into a cell."""
    return f"np.array({rows!r})"


def _call(function, name, call, exercise, *args, hint_on_error):
    """``function(*args)`` on fresh copies; an unwritten function or one that raises fails with a sentence."""
    fresh = [np.array(a, dtype=a.dtype) if pinned.isinstance(a, np.ndarray) else a for a in args]
    try:
        with np.errstate(all="ignore"):  # an overflow is reported below, in words, not as a warning
            return function(*fresh)
    except NotImplementedError:
        not_implemented(name, exercise)
    except Exception as error:  # noqa: BLE001 (any error the student's code raises becomes a message)
        fail([f"{call} raised {type(error).__name__}: {error}", f"Hint: {hint_on_error(error)}"], exercise)


def _as_rows(value, shape, what, exercise):
    """``value`` (an array or nested lists) as a list of rows of floats shaped ``shape``, or a failure
    that says what came back instead."""
    n, k = shape
    try:
        rows = value.tolist() if pinned.isinstance(value, np.ndarray) else value
    except Exception:  # noqa: BLE001
        rows = value
    got_shape = None
    if pinned.isinstance(value, np.ndarray):
        got_shape = tuple(value.shape)
    shaped = (pinned.isinstance(rows, (list, tuple)) and pinned.len(rows) == n
              and all(pinned.isinstance(r, (list, tuple)) and pinned.len(r) == k for r in rows))
    if not shaped:
        seen = f"an array of shape {got_shape}" if got_shape is not None else shown(value, 100)
        hint = {(k, n): "that looks transposed: row i should belong to example i, one column per class.",
                (n,): "that is one number per row: keep one value per class, an (n, k) array like Z.",
                (): "that is one number: return the whole (n, k) array."}.get(got_shape, "return an array "
                                                                                    "shaped like Z: (n, k).")
        fail([f"{what} should be an array of shape ({n}, {k}), one row per example and one column per class, "
              f"but it is {seen}.", f"Hint: {hint}"], exercise)
    try:
        return [[pinned.float(v) for v in row] for row in rows]
    except (TypeError, ValueError):
        fail([f"{what} should hold numbers, but it is {shown(value, 100)}.",
              "Hint: return a numpy array of floats."], exercise)


def _flat(rows):
    return [v for row in rows for v in row]


def _matches(got, expected):
    return all(pinned.isfinite(a) and close(a, b, TOL) for a, b in zip(_flat(got), _flat(expected)))


def _mismatch(got, expected, *, what, seal_id, hint, exercise, fallback=None):
    """Fail saying what was expected and what came back, naming the mistake when a sealed hint opens.

    ``fallback``: the line to use instead of the hint when no mistake is named (an earlier check fails).
    """
    lines = ["{} should be about {}, but it is {}.".format(what, *apart(expected, got))]
    bad = [v for v in _flat(got) if not pinned.isfinite(v)]
    if bad:
        lines.append(f"{pinned.len(bad)} of its entries are nan or inf: a number overflowed or was divided by zero.")
    found = reveal(seal_id, got)
    if found and found[0] == "wrong":
        lines.append(f"That is the value you get if you {found[1]}.")
    lines.append(fallback if fallback and not found else f"Hint: {hint}")
    fail(lines, exercise)


def _check_number(value, expected, *, call, hint, seal_id, exercise, tol=TOL):
    """Pass when ``value`` is within ``tol`` of ``expected``; else fail with both, to 4 significant digits,
    the named mistake when a sealed hint opens, and ``hint``."""
    if pinned.isfinite(value) and close(value, expected, tol):
        passed(f"{call} = {shown(value)}")
        return
    lines = ["{} should be about {}, but it returned {}.".format(call, *apart(expected, value))]
    found = reveal(seal_id, value) if pinned.isfinite(value) else None
    if found and found[0] == "wrong":
        lines.append(f"That is the value you get if you {found[1]}.")
    fail([*lines, f"Hint: {hint}"], exercise)


# ------------------------------------------------------------------ softmax
SOFTMAX = "softmax"
# (case, Z, expected softmax(Z), hint)
SOFTMAX_CASES = [
    ("two_rows", [[2.0, 1.0, 0.1], [1.0, 2.0, 3.0]],
     [[0.6590011388859679, 0.24243297070471392, 0.09856589040931818],
      [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]],
     "each row is one example: exponentiate its scores, then divide by that row's own sum (axis=1)."),
    ("square", [[1.0, 0.0, -1.0], [0.5, 0.5, 2.0], [3.0, 1.0, 0.0]],
     [[0.6652409557748218, 0.24472847105479764, 0.09003057317038046],
      [0.1542807729818862, 0.1542807729818862, 0.6914384540362276],
      [0.8437947344813395, 0.11419519938459449, 0.04201006613406605]],
     "with as many rows as columns a mix-up of rows and columns raises no error: each ROW must sum to 1. "
     "A per-row max or sum has shape (n,); keepdims=True makes it (n, 1), a column that lines up with the rows."),
    ("one_row", [[0.5, -0.5, 1.5, 0.0]],
     [[0.21309730428862375, 0.07839411721683971, 0.5792585299413737, 0.12925004855316274]],
     "one example with four classes: its four probabilities must add up to 1."),
]
LARGE_Z = [[1000.0, 999.0, 998.0], [-1000.0, -999.0, -998.0], [0.0, 1.0, 2.0]]
LARGE_EXPECTED = [[0.6652409557748218, 0.24472847105479764, 0.09003057317038046],
                  [0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
                  [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]]
LARGE_HINT = ("np.exp(1000) is inf and np.exp(-1000) is 0, so inf / inf and 0 / 0 give nan. \"Big scores\" above "
              "shows how to bring every row's numbers into range without changing its probabilities; each row "
              "needs its own shift, since these rows are 1000 apart.")
SOFTMAX_FIRST = "Hint: the check above (test_softmax) fails too: make softmax right on ordinary scores first."


def _softmax_error_hint(error):
    if "broadcast" in pinned.str(error):
        return ("a per-row max or sum has shape (n,), which does not line up with Z's (n, k); "
                "keepdims=True keeps it as an (n, 1) column, one number per row.")
    return "softmax takes one (n, k) numpy array and returns one of the same shape."


def _softmax_of(softmax, Z):
    call = f"softmax({_literal(Z)})"
    Z = np.array(Z, dtype=float)
    value = _call(softmax, "softmax", call, SOFTMAX, Z, hint_on_error=_softmax_error_hint)
    return _as_rows(value, Z.shape, call, SOFTMAX), call


def check_softmax(namespace=None):
    """Check softmax on ordinary scores: two rows, a square matrix, one row of four classes."""
    softmax = answer("softmax", exercise=SOFTMAX, kind="function", namespace=namespace)
    for case, Z, expected, hint in SOFTMAX_CASES:
        got, call = _softmax_of(softmax, Z)
        if not _matches(got, expected):
            _mismatch(got, expected, what=call, seal_id=f"softmax:{case}", hint=hint, exercise=SOFTMAX)
        passed(f"{call} = {_show(got)}: every row sums to 1")


def check_softmax_large(namespace=None):
    """Check that softmax stays finite for scores as large as 1000 (and as small as -1000)."""
    softmax = answer("softmax", exercise=SOFTMAX, kind="function", namespace=namespace)
    got, call = _softmax_of(softmax, LARGE_Z)
    if _matches(got, LARGE_EXPECTED):
        passed(f"{call} = {_show(got)}: finite, and the same probabilities as the scores 0, 1, 2")
        return
    small_ok = True
    for _, Z, expected, _ in SOFTMAX_CASES:
        try:
            small_ok = small_ok and _matches(_softmax_of(softmax, Z)[0], expected)
        except AssertionError:
            small_ok = False
    _mismatch(got, LARGE_EXPECTED, what=call, seal_id="softmax:large", hint=LARGE_HINT, exercise=SOFTMAX,
              fallback=None if small_ok else SOFTMAX_FIRST)


# ------------------------------------------------------------------ cross_entropy
CROSS_ENTROPY = "cross_entropy"
FOUR_P = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1]]
FOUR_LABELS = [0, 2, 2, 1]
# (case, P, labels, expected, hint)
CROSS_ENTROPY_CASES = [
    ("four", FOUR_P, FOUR_LABELS, 0.7469410259762036,
     "each row contributes -log of ONE probability, the one at its own label; then take the mean of those "
     "four numbers. The lesson's row 1 alone gives -log(0.3) = 1.204."),
    ("square", [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1], [0.25, 0.25, 0.5]], [2, 0, 1], 1.033697596403939,
     "one probability per row, the one at that row's label (here 0.3, 0.6 and 0.25), then -log and the mean "
     "over the rows."),
]


def _ce_error_hint(error):
    if pinned.isinstance(error, IndexError):
        return "labels[i] is a column number: the entry you want in row i is P[i, labels[i]]."
    return "cross_entropy takes P, an (n, k) array of probabilities, and labels, n class numbers."


def check_cross_entropy(namespace=None):
    """Check cross_entropy on the lesson's four examples and on a square batch."""
    cross_entropy = answer("cross_entropy", exercise=CROSS_ENTROPY, kind="function", namespace=namespace)
    for case, P, labels, expected, hint in CROSS_ENTROPY_CASES:
        call = f"cross_entropy({_literal(P)}, np.array({labels!r}))"
        value = _call(cross_entropy, "cross_entropy", call, CROSS_ENTROPY, np.array(P, dtype=float),
                      np.array(labels), hint_on_error=_ce_error_hint)
        _check_number(as_number(value, call, CROSS_ENTROPY), expected, call=call, hint=hint,
                      seal_id=f"cross_entropy:{case}", exercise=CROSS_ENTROPY)


# ------------------------------------------------------------------ predict_ce_output
def check_predict_ce_output(namespace=None):
    """Check the predicted line of the cross-entropy code (case and spaces do not matter; the digits do)."""
    typed = typed_line("predicted_ce_output", "predict_ce_output", namespace)
    check_sealed(typed, exercise="predict_ce_output", name="predicted_ce_output",
                 problem=f"`predicted_ce_output` = {shown(typed, 60)} is not what the code prints.",
                 hint="pick each row's probability at its label, look up -log of it in the table above, "
                      "average, and print the line the way the f-string formats it.")


# ------------------------------------------------------------------ softmax_ce_gradient
GRADIENT = "softmax_ce_gradient"
# (case, Z, labels, expected (softmax(Z) - one_hot) / n, hint)
ONE_ROW_CASES = [
    ("one", [[2.0, 1.0, 0.1]], [1], [[0.6590011388859679, -0.7575670292952861, 0.09856589040931818]],
     "for one example the gradient is p - y: the probabilities, with 1 taken away at the right class only "
     "(here class 1)."),
    ("one_wide", [[0.5, -1.0, 3.0, 0.0]], [2],
     [[0.07136661103594455, 0.015924043349701003, -0.1305766920587318, 0.04328603767308635]],
     "softmax of the row, then 1 taken away at the label's column (here column 2); every other entry stays as "
     "it is."),
]
BATCH_CASES = [
    ("batch", [[2.0, 1.0, 0.1], [0.5, -1.0, 3.0], [0.0, 0.0, 0.0], [-2.0, 4.0, 1.0]], [1, 2, 0, 1],
     [[0.16475028472149197, -0.18939175732382152, 0.024641472602329545],
      [0.01864888928305361, 0.004161129652318088, -0.022810018935371684],
      [-0.16666666666666669, 0.08333333333333333, 0.08333333333333333],
      [0.0005889082701991702, -0.012417447075655147, 0.011828538805456012]],
     "the loss is the MEAN over the 4 rows, so each row's p - y counts for a quarter: divide by n, the number "
     "of examples."),
    ("square", [[1.0, 0.0, -1.0], [0.5, 0.5, 2.0], [3.0, 1.0, 0.0]], [2, 0, 1],
     [[0.22174698525827394, 0.08157615701826589, -0.30332314227653984],
      [-0.2819064090060379, 0.0514269243272954, 0.23047948467874255],
      [0.2812649114937798, -0.29526826687180185, 0.014003355378022017]],
     "Y[i] is a row of zeros with a single 1 in column labels[i]; the gradient is (P - Y) / n."),
]
ONE_ROW_FIRST = ("Hint: the check above (test_softmax_ce_gradient) fails too: make one example right first; "
                 "the batch is the same rows, divided by n.")


def _gradient_error_hint(error):
    if "broadcast" in pinned.str(error):
        return ("P has shape (n, k), so what you take away from it must have shape (n, k) too: Y, the one-hot "
                "rows of the labels (row i all zeros but a 1 in column labels[i]), as in \"Classes instead of "
                "numbers\". labels itself is one class number per example, shape (n,).")
    if pinned.isinstance(error, IndexError):
        return "labels[i] is a column number: the 1 of row i goes in column labels[i]."
    return "softmax_ce_gradient takes Z, an (n, k) array of scores, and labels, n class numbers."


def _gradient_of(softmax_ce_gradient, case):
    name, Z, labels, expected, hint = case
    call = f"softmax_ce_gradient({_literal(Z)}, np.array({labels!r}))"
    value = _call(softmax_ce_gradient, GRADIENT, call, GRADIENT, np.array(Z, dtype=float), np.array(labels),
                  hint_on_error=_gradient_error_hint)
    return _as_rows(value, (pinned.len(Z), pinned.len(Z[0])), call, GRADIENT), call


def check_softmax_ce_gradient(namespace=None):
    """Check softmax_ce_gradient on one example at a time, where the gradient is p - y."""
    softmax_ce_gradient = answer(GRADIENT, exercise=GRADIENT, kind="function", namespace=namespace)
    for case in ONE_ROW_CASES:
        got, call = _gradient_of(softmax_ce_gradient, case)
        if not _matches(got, case[3]):
            _mismatch(got, case[3], what=call, seal_id=f"softmax_ce_gradient:{case[0]}", hint=case[4],
                      exercise=GRADIENT)
        passed(f"{call} = {_show(got)}")


def check_softmax_ce_gradient_batch(namespace=None):
    """Check softmax_ce_gradient on batches of 4 and 3 examples, where each row is divided by n."""
    softmax_ce_gradient = answer(GRADIENT, exercise=GRADIENT, kind="function", namespace=namespace)
    for case in BATCH_CASES:
        got, call = _gradient_of(softmax_ce_gradient, case)
        if _matches(got, case[3]):
            passed(f"{call} = {_show(got)}")
            continue
        one_ok = True
        for single in ONE_ROW_CASES:
            try:
                one_ok = one_ok and _matches(_gradient_of(softmax_ce_gradient, single)[0], single[3])
            except AssertionError:
                one_ok = False
        _mismatch(got, case[3], what=call, seal_id=f"softmax_ce_gradient:{case[0]}", hint=case[4],
                  exercise=GRADIENT, fallback=None if one_ok else ONE_ROW_FIRST)


# ------------------------------------------------------------------ quiz_mse_for_classes
def check_quiz_mse_for_classes(namespace=None):
    """Check the answer to the quiz: why cross-entropy trains a classifier better than MSE."""
    check_choice_answer("mse_for_classes_answer", exercise="quiz_mse_for_classes", options="ABCD",
                        namespace=namespace,
                        hint="look at the table in \"Why not MSE?\": what happens to each loss's slope as the "
                             "wrong class's score grows?")


# ------------------------------------------------------------------ fix_accuracy
ACCURACY = "fix_accuracy"
# The classmate's code exactly as the student notebook gives it (it is on screen there).
GIVEN_ACCURACY = '''
import numpy as np


def accuracy(P, labels):
    """The fraction of rows of P whose largest probability is at their label."""
    predicted = np.argmax(P, axis=0)      # the class each example is given
    return np.mean(predicted == labels)
'''
# (case, P, labels, expected accuracy, hint)
ACCURACY_CASES = [
    ("square", [[0.6, 0.3, 0.1], [0.5, 0.2, 0.3], [0.1, 0.8, 0.1]], [0, 0, 1], 1.0,
     "each row's largest probability is at its label here, so the accuracy is 1.0."),
    ("four", FOUR_P, FOUR_LABELS, 0.5,
     "the lesson's four rows pick classes 0, 1, 2 and 0; the labels are 0, 2, 2 and 1: two of four are right."),
]


def _is_as_given(namespace):
    return statements(last_source_defining("accuracy", namespace)) == statements(GIVEN_ACCURACY)


AS_GIVEN = ("accuracy is still your classmate's code as given, so it is not right yet.",
            "Hint: `predicted` should hold one class for each example, that is for each row of P: how many "
            "entries does it have, and where does each come from?")


def check_fix_accuracy(namespace=None):
    """Check accuracy on a square batch and on the lesson's four examples."""
    accuracy = answer("accuracy", exercise=ACCURACY, kind="function", namespace=namespace)
    as_given = _is_as_given(user_namespace() if namespace is None else namespace)
    for case, P, labels, expected, hint in ACCURACY_CASES:
        call = f"accuracy({_literal(P)}, np.array({labels!r}))"
        try:
            value = accuracy(np.array(P, dtype=float), np.array(labels))
        except NotImplementedError:
            not_implemented("accuracy", ACCURACY)
        except Exception as error:  # noqa: BLE001 (the classmate's code raises on the four rows)
            fail([f"{call} raised {type(error).__name__}: {error}",
                  f"P has {pinned.len(P)} rows (examples) and {pinned.len(P[0])} columns (classes); labels has "
                  f"{pinned.len(labels)} entries, one per row.",
                  *(AS_GIVEN if as_given else ["Hint: `predicted` should hold one class per row of P."])],
                 ACCURACY)
        value = as_number(value, call, ACCURACY)
        if as_given and not close(value, expected, 1e-9):
            fail(["{} should be {}, but it returned {}.".format(call, *apart(expected, value)), *AS_GIVEN], ACCURACY)
        _check_number(value, expected, call=call, hint=hint, seal_id=f"fix_accuracy:{case}", exercise=ACCURACY,
                      tol=1e-9)
