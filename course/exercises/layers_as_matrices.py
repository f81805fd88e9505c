"""Visible checks of lesson 07: the two quizzes, ``dense_forward``, ``mse_grad`` and ``dense_backward``.

Each check calls the student's function on a few fixed examples (the lesson's layer and some others)
and compares with the values below: those expected values, written down, not a way to compute them
for other inputs. Every example's shapes are chosen so that a product in the wrong order fails or
comes out in the wrong shape, and a wrong value that a known mistake produces is named (the
descriptions are sealed, course/exercises/sealed.py).
"""
import numpy as np

from ..checks import CheckFailed, answer, apart, check_choice_answer, fail, not_implemented, passed, reveal, shown

# The lesson's network (lesson 6's seed 0): W1[i, j] is hidden_weights[j][i].
XOR = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
W1, B1 = [[0.69, -0.16], [0.52, -0.48]], [0.02, -0.19]
# The other layers the checks use.
W3, B3 = [[0.3, -0.2, 0.5], [0.1, 0.4, -0.6], [-0.7, 0.2, 0.0]], [0.1, 0.0, -0.1]
W34, B34 = [[0.2, -0.4, 0.6, 0.0], [-0.8, 0.1, 0.3, 0.5], [0.5, 0.5, -0.5, 1.0]], [0.1, -0.2, 0.3, 0.0]
X_OUT, W_OUT, B_OUT = [[0.5, -1.0], [2.0, 0.0], [-1.5, 1.0]], [[0.8], [-0.6]], [0.1]


def _show(value):
    """Numbers (nested lists) for people: 4 significant digits."""
    return shown(value)


def _shape(shape):
    return f"({shape[0]},)" if len(shape) == 1 else f"({', '.join(str(s) for s in shape)})"


def _called(call, arguments):
    """``call`` and the arrays it was given, one line each."""
    return "\n".join([call, *(f"    {name} = {_show(value)}" for name, value in arguments.items())])


def _run(function, name, exercise, call, arguments, shapes_hint, product_hint):
    """``function(*arguments)`` on fresh float arrays; a function that is not written yet, or that raises,
    fails with a sentence (and what the shapes are) instead of a traceback."""
    try:
        return function(*(np.array(value, dtype=float) for value in arguments.values()))
    except CheckFailed:
        raise
    except NotImplementedError:
        not_implemented(name, exercise)
    except Exception as error:  # a product whose shapes do not fit, a name not defined, ...
        fail([call, f"It raised {type(error).__name__}: {error}", f"The shapes: {shapes_hint}.",
              "Hint: in a matrix product (a, k) @ (k, c) the inner sizes must agree and disappear. Write down the "
              f"shape of each array you multiply, and the shape the result must have: {product_hint}"], exercise)


def _as_array(value, call, subject, exercise):
    """``value`` as a float numpy array, or a failure saying what came back instead."""
    if value is None:
        fail([call, f"{subject} None: the function returned nothing.",
              "Hint: end the function with a `return` of the computed array."], exercise)
    try:
        found = np.array(value, dtype=float)
    except (TypeError, ValueError):
        fail([call, f"{subject} {shown(value, 120)}, which is not an array of numbers.",
              "Hint: return a numpy array (the result of the array arithmetic)."], exercise)
    return found


def _compare(got, expected, *, call, subject, hint, seal_id, exercise, shape_hint):
    """Pass silently when the array ``got`` matches ``expected`` (nested lists); else say why, naming a
    known mistake when the value is one. ``subject`` starts the sentence: "It returned", "Its grad_W is"."""
    want = np.array(expected, dtype=float)
    if got.shape != want.shape:
        lines = [call, f"{subject} an array of shape {_shape(got.shape)}, but the shape should be "
                       f"{_shape(want.shape)}."]
        if got.ndim == 2 and got.shape == want.shape[::-1]:
            lines.append("That is the transpose of the right shape: its rows and columns are swapped.")
        fail([*lines, f"Hint: {shape_hint}"], exercise)
    if np.all(np.isfinite(got)) and np.all(np.abs(got - want) <= 1e-6 * np.maximum(1.0, np.abs(want))):
        return
    want_shown, got_shown = apart(want.tolist(), got.tolist())
    lines = [call, f"{subject} {got_shown},", f"but it should be about {want_shown}."]
    found = reveal(seal_id, got.tolist()) if np.all(np.isfinite(got)) else None
    if found and found[0] == "wrong":
        lines.append(f"That is the value you get if you {found[1]}.")
    fail([*lines, f"Hint: {hint}"], exercise)


# ------------------------------------------------------------------ quiz_shapes
def check_quiz_shapes(namespace=None):
    """Check the answer to the quiz: the shape of X @ W + b."""
    check_choice_answer("shapes_answer", exercise="quiz_shapes", options="ABCD", namespace=namespace,
                        hint="in a product (a, k) @ (k, c), which sizes disappear and which stay? And what does "
                             "adding b, one number per neuron, do to the shape?")


# ------------------------------------------------------------------ dense_forward
FORWARD = "dense_forward"
# (case, X, W, b, expected sigmoid(X @ W + b), hint)
FORWARD_CASES = [
    ("xor", XOR, W1, B1,
     [[0.5049998333399998, 0.45264238185691075], [0.6318124177361016, 0.3384968407970476],
      [0.6704011598088686, 0.41338242108267], [0.7738185742694538, 0.3036450701761659]],
     "this is lesson 6's hidden layer on the XOR batch: row 2, the example (1, 0), should hold lesson 6's "
     "h0 = 0.6704 and h1 = 0.4134."),
    ("output", X_OUT, W_OUT, B_OUT, [[0.7502601055951177], [0.8455347349164652], [0.1544652650835347]],
     "one neuron with two inputs: each example's weighted sum X @ W, plus b, then the sigmoid 1 / (1 + e^(-z))."),
]
FORWARD_ANY_CASES = [
    ("one_example", [[1.0, -2.0, 0.5]], W34, B34,
     [[0.8956687768809987, 0.36586440898919936, 0.5124973964842103, 0.3775406687981454]]),
    ("one_input", [[0.5], [-1.0], [2.0], [0.0], [1.5]], [[1.5, -0.5, 0.25]], [0.0, 0.5, -1.0],
     [[0.679178699175393, 0.5621765008857981, 0.29421497216298875],
      [0.18242552380635635, 0.7310585786300049, 0.22270013882530884],
      [0.9525741268224334, 0.3775406687981454, 0.3775406687981454], [0.5, 0.6224593312018546, 0.2689414213699951],
      [0.9046505351008906, 0.43782349911420193, 0.34864513533394575]]),
]
FORWARD_PRODUCT = "the sums have one row per example and one column per neuron, (n, d_out)."
FORWARD_SHAPE_HINT = ("X is (n, d_in) and W is (d_in, d_out): X @ W is (n, d_out), one row per example and one "
                      "column per neuron, and b (d_out,) is added to every row.")


def _count(n, noun):
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _sizes(X, W):
    return (f"X is {_shape(np.shape(X))} ({_count(len(X), 'example')}, {_count(len(W), 'input')}), "
            f"W is {_shape(np.shape(W))}")


def _forward_case(dense_forward, case):
    name, X, W, b, expected = case[:5]
    call = _called("dense_forward(X, W, b) with", {"X": X, "W": W, "b": b})
    value = _run(dense_forward, "dense_forward", FORWARD, call, {"X": X, "W": W, "b": b},
                 f"{_sizes(X, W)} and b is {_shape(np.shape(b))}", FORWARD_PRODUCT)
    return _as_array(value, call, "It returned", FORWARD), call


def check_dense_forward(namespace=None):
    """Check dense_forward on the lesson's layers: the XOR batch through the hidden layer, and an output layer."""
    dense_forward = answer("dense_forward", exercise=FORWARD, kind="function", namespace=namespace)
    for case in FORWARD_CASES:
        name, X, W, b, expected, hint = case
        got, call = _forward_case(dense_forward, case)
        _compare(got, expected, call=call, subject="It returned", hint=hint, seal_id=f"dense_forward:{name}",
                 exercise=FORWARD, shape_hint=FORWARD_SHAPE_HINT)
        passed(f"{name} example: shape {_shape(got.shape)}, values {_show(got.tolist())}")


def check_dense_forward_any_shape(namespace=None):
    """Check dense_forward on other shapes: a single example, and a batch with one input."""
    dense_forward = answer("dense_forward", exercise=FORWARD, kind="function", namespace=namespace)
    main_right = True
    for case in FORWARD_CASES:
        try:
            got, _ = _forward_case(dense_forward, case)
        except CheckFailed:
            main_right = False
            break
        want = np.array(case[4])
        main_right = main_right and got.shape == want.shape and bool(np.allclose(got, want, rtol=0, atol=1e-6))
    hint = (FORWARD_SHAPE_HINT + " Nothing in it should depend on the sizes being 2." if main_right else
            "the check above (test_dense_forward) fails too: make dense_forward right for the lesson's layers first.")
    for case in FORWARD_ANY_CASES:
        name, X, W, b, expected = case
        got, call = _forward_case(dense_forward, case)
        _compare(got, expected, call=call, subject="It returned", hint=hint, seal_id=f"dense_forward:{name}",
                 exercise=FORWARD, shape_hint=FORWARD_SHAPE_HINT)
        passed(f"{name.replace('_', ' ')}: shape {_shape(got.shape)}, values {_show(got.tolist())}")


# ------------------------------------------------------------------ mse_grad
MSE = "mse_grad"
# (case, outputs, targets, expected gradient, hint); two columns first, where rows and entries differ
MSE_CASES = [
    ("two_columns", [[0.2, 0.9], [0.6, 0.4], [0.1, 0.7]], [[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]],
     [[0.06666666666666667, -0.033333333333333326], [-0.13333333333333333, 0.13333333333333333],
      [0.03333333333333333, -0.10000000000000002]],
     "np.mean divides by the number of entries of the array, rows times columns: here 3 rows of 2 columns."),
    ("xor", [[0.52], [0.54], [0.54], [0.57]], [[0.0], [1.0], [1.0], [0.0]],
     [[0.26], [-0.22999999999999998], [-0.22999999999999998], [0.285]],
     "each entry: 2 * (output - target), divided by the number of entries the mean divides by."),
]
MSE_SHAPE_HINT = "the gradient has one entry per output: return an array shaped like outputs, not a single number."


def check_mse_grad(namespace=None):
    """Check mse_grad on the XOR outputs and on a batch with two output columns."""
    mse_grad = answer("mse_grad", exercise=MSE, kind="function", namespace=namespace)
    for name, outputs, targets, expected, hint in MSE_CASES:
        call = _called("mse_grad(outputs, targets) with", {"outputs": outputs, "targets": targets})
        value = _run(mse_grad, "mse_grad", MSE, call, {"outputs": outputs, "targets": targets},
                     f"outputs and targets are both {_shape(np.shape(outputs))}", MSE_SHAPE_HINT)
        got = _as_array(value, call, "It returned", MSE)
        _compare(got, expected, call=call, subject="It returned", hint=hint, seal_id=f"mse_grad:{name}",
                 exercise=MSE, shape_hint=MSE_SHAPE_HINT)
        passed(f"{name.replace('_', ' ')} example: {_show(got.tolist())}")


# ------------------------------------------------------------------ dense_backward
BACKWARD = "dense_backward"
# (case, X, W, b, grad_out, expected (grad_X, grad_W, grad_b))
PARAMS_CASES = [  # W square, more (or fewer) examples than inputs
    ("xor", XOR, W1, B1, [[0.1, -0.2], [0.05, 0.3], [-0.15, 0.1], [0.2, 0.0]],
     ([[0.02517650730711551, 0.03678339666302784], [-0.0027224237339339217, -0.026195746407920426],
       [-0.026749674850514514, -0.02887502365047181], [0.024153227597136017, 0.018202432392044537]],
      [[0.001860160966639865, 0.024249739502250015], [0.046635952003536894, 0.06717501887023974]],
      [0.03848893545982526, 0.04187330717172709])),
    ("three_neurons", [[1.0, -0.5, 2.0], [0.0, 1.5, -1.0]], W3, B3, [[0.2, -0.1, 0.3], [-0.4, 0.25, 0.1]],
     ([[0.04977857786939577, -0.04606776823428316, -0.0318838427093353],
       [-0.026315409990752478, 0.004185035457747303, 0.06832329914049338]],
      [[0.03840548958476472, -0.025, 0.06651386198793272], [-0.1398675916211329, 0.10259777965307343,
                                                           -0.003765141007744081],
       [0.15725421038869647, -0.1100651864353823, 0.11336653065171724]],
      [-0.04203774163440232, 0.035065186435382284, 0.0861750553120809])),
]
INPUTS_CASES = [  # as many examples as inputs as neurons
    ("pair", [[1.0, 0.5], [-0.5, 2.0]], W1, B1, [[0.3, -0.2], [0.1, 0.4]],
     ([[0.0486017767449763, 0.05312096678752003], [0.003049405282106677, -0.025042617755158033]],
      [[0.04876706235269023, -0.08392375675354193], [0.07401538640429715, 0.12919323551414702]],
      [0.0818549658379916, 0.030179652507070068])),
    ("three", [[0.5, -1.0, 1.0], [2.0, 0.0, -0.5], [-1.0, 1.5, 0.5]], W3, B3,
     [[0.1, 0.2, -0.3], [-0.2, 0.1, 0.05], [0.3, -0.1, 0.2]],
     ([[-0.035502352235176435, 0.06109784024462802, -0.006462202558062992],
       [-0.011084213435904718, -0.0006054096906805956, 0.03158391695336719],
       [0.04064811847061618, -0.01890976416988461, -0.05456476275256639]],
      [[-0.13728882073077903, 0.09199660434361982, -0.041963508744112324],
       [0.0849165712612698, -0.07971670843948869, 0.11011243374964406],
       [0.07844262097603005, 0.026866461360956273, -0.0555913606050675]],
      [0.056873498460112346, 0.05184200282408227, -0.025264192347364454])),
]
ANY_CASES = [
    ("one_example", [[1.0, -2.0, 0.5]], W34, B34, [[0.1, -0.2, 0.3, 0.05]],
     ([[0.06540142255256551, 0.01624518577773711, -0.044254840024431336]],
      [[0.00934462190014945, -0.04640152864483665, 0.07495314452433492, 0.011750185610079724],
       [-0.0186892438002989, 0.0928030572896733, -0.14990628904866984, -0.02350037122015945],
       [0.004672310950074725, -0.023200764322418323, 0.03747657226216746, 0.005875092805039862]],
      [0.00934462190014945, -0.04640152864483665, 0.07495314452433492, 0.011750185610079724])),
    ("one_neuron", X_OUT, W_OUT, B_OUT, [[0.2], [-0.3], [0.1]],
     ([[0.02997918072760329, -0.022484385545702465], [-0.03134537927188995, 0.023509034453917457],
       [0.010448459757296644, -0.007836344817972482]],
      [[-0.07921732226990402], [-0.024413401212883306]],
      [0.011352826516262484])),
]
PARTS = ("grad_X", "grad_W", "grad_b")
BACKWARD_PRODUCT = ("grad_z has the shape of grad_out, (n, d_out); grad_W must come out with the shape of W, "
                    "(d_in, d_out), and grad_X with the shape of X, (n, d_in).")
BACKWARD_HINTS = {
    "grad_X": "X[n, i] reaches the loss through every neuron j, with weight W[i, j]: grad_X[n, i] adds up "
              "grad_z[n, j] * W[i, j] over j. grad_X has the shape of X.",
    "grad_W": "W[i, j] multiplies X[n, i] in every example n: grad_W[i, j] adds up X[n, i] * grad_z[n, j] over the "
              "examples. grad_W has the shape of W.",
    "grad_b": "b[j] is added to z[n, j] in every example n: grad_b[j] adds up grad_z[n, j] over the examples. "
              "grad_b has the shape of b.",
}
SLOPE_HINT = " First grad_z = grad_out * out * (1 - out), with out = sigmoid(X @ W + b)."


def _backward_of(dense_backward, case):
    """The three gradients ``dense_backward`` returns for ``case`` as arrays, and the call as the student reads it."""
    name, X, W, b, grad_out, _ = case
    arguments = {"X": X, "W": W, "b": b, "grad_out": grad_out}
    call = _called("dense_backward(X, W, b, grad_out) with", arguments)
    shapes = (f"{_sizes(X, W)} ({_count(len(W[0]), 'neuron')}), b is {_shape(np.shape(b))} and grad_out is "
              f"{_shape(np.shape(grad_out))}")
    result = _run(dense_backward, "dense_backward", BACKWARD, call, arguments, shapes, BACKWARD_PRODUCT)
    if isinstance(result, np.ndarray) or not isinstance(result, (tuple, list)) or len(result) != 3:
        fail([call, f"It should return three arrays, (grad_X, grad_W, grad_b), but it returned {shown(result, 160)}.",
              "Hint: end the function with `return grad_X, grad_W, grad_b`."], BACKWARD)
    parts = [_as_array(part, call, f"Its {label} is", BACKWARD) for part, label in zip(result, PARTS)]
    want_shapes = [np.shape(X), np.shape(W), np.shape(b)]
    got_shapes = [part.shape for part in parts]
    if got_shapes != want_shapes and sorted(got_shapes) == sorted(want_shapes):
        fail([call, f"It returned arrays of shapes {', '.join(_shape(s) for s in got_shapes)}: the shapes of "
                    "X, W and b, but in another order.",
              "Hint: return them in the order (grad_X, grad_W, grad_b)."], BACKWARD)
    return parts, call


def _check_part(parts, case, call, part):
    index = PARTS.index(part)
    name, want = case[0], case[5][index]
    shape_hint = {"grad_X": "grad_X has one number per entry of X: (n, d_in).",
                  "grad_W": "grad_W[i, j] belongs to W[i, j] (input i, neuron j): the shape of W, (d_in, d_out).",
                  "grad_b": "one number per neuron: add grad_z up over the examples, the rows (axis=0), to get "
                            "the shape of b, (d_out,)."}[part]
    _compare(parts[index], want, call=call, subject=f"Its {part} is", hint=BACKWARD_HINTS[part] + SLOPE_HINT,
             seal_id=f"dense_backward:{name}:{part}", exercise=BACKWARD, shape_hint=shape_hint)


def check_dense_backward_params(namespace=None):
    """Check grad_W and grad_b: the XOR batch through the hidden layer, and a layer with three neurons."""
    dense_backward = answer("dense_backward", exercise=BACKWARD, kind="function", namespace=namespace)
    for case in PARAMS_CASES:
        parts, call = _backward_of(dense_backward, case)
        _check_part(parts, case, call, "grad_b")
        _check_part(parts, case, call, "grad_W")
        passed(f"{case[0].replace('_', ' ')} example: grad_W = {_show(parts[1].tolist())}, "
               f"grad_b = {_show(parts[2].tolist())}")


def check_dense_backward_inputs(namespace=None):
    """Check grad_X, the gradient passed down to the layer below: two square layers."""
    dense_backward = answer("dense_backward", exercise=BACKWARD, kind="function", namespace=namespace)
    for case in INPUTS_CASES:
        parts, call = _backward_of(dense_backward, case)
        _check_part(parts, case, call, "grad_X")
        passed(f"{case[0]} example: grad_X = {_show(parts[0].tolist())}")


def check_dense_backward_any_shape(namespace=None):
    """Check all three gradients on other shapes: a single example, and a layer with one neuron."""
    dense_backward = answer("dense_backward", exercise=BACKWARD, kind="function", namespace=namespace)
    for case in ANY_CASES:
        parts, call = _backward_of(dense_backward, case)
        for part in ("grad_b", "grad_W", "grad_X"):
            _check_part(parts, case, call, part)
        passed(f"{case[0].replace('_', ' ')}: grad_X, grad_W and grad_b have the shapes of X, W and b, and the "
               "right values")


# ------------------------------------------------------------------ quiz_zero_init
def check_quiz_zero_init(namespace=None):
    """Check the answer to the quiz: why all-zero starting weights learn one hidden neuron's worth."""
    check_choice_answer("zero_init_answer", exercise="quiz_zero_init", options="ABCD", namespace=namespace,
                        hint="in the AND run the weights did move. At any moment, what is different between hidden "
                             "neuron 0 and hidden neuron 1: their weights, their outputs, their blame?")
