"""The pre-grading scan must hold tampering code and never an honest student's comments."""
from grader.integrity import scan_code

HONEST = '''import math

def neuron_output(weights, bias, inputs):
    # inspect every input; the error signal flows back (as nbgrader's tests expect, see ../notes)
    z = bias + math.fsum(w * x for w, x in zip(weights, inputs))  # exit early? no
    return 1 / (1 + math.exp(-z))
'''


def test_comments_that_mention_dangerous_words_hold_nobody():
    assert scan_code(HONEST) == []


def test_tampering_code_is_still_found_next_to_comments():
    reasons = scan_code("import math  # harmless\nmath.isclose = lambda *a, **k: True\n")
    assert any("reassigns a module's function" in r for r in reasons)
    assert scan_code("open('../../../source/homework/01_forward_pass.ipynb')  # peek\n")


def test_code_that_does_not_tokenize_is_scanned_as_it_is():
    assert scan_code("import socket\ndef broken(:\n")
