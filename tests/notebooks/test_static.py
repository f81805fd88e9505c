"""Static checks of every committed notebook: format, metadata, the exercise contract, no leaks."""
import json
import random
import re

import nbformat
import pytest

from grader import lessons
from grader.answers import confirmations_for
from tests.support.course_files import ROOT, answer_cells, check_cells, nbgrader_meta, notebooks, read, source
from tests.support.grading import load_variants

ALL = [*notebooks("source"), *notebooks("release")]

# COURSE_SPEC fixes the answer ids of its nine lessons; any lesson's own contract is in its files
# (test_answer_ids_are_the_lessons_own), so a lesson added later needs no entry here.
COURSE_SPEC_ANSWER_IDS = {
    "01_forward_pass": ["neuron_output", "quiz_first_guess"],
    "02_loss": ["mse_loss", "predict_mse_output", "quiz_why_square"],
    "03_backpropagation": ["weight_gradient", "numerical_gradient", "chain_gradients", "quiz_negative_gradient"],
    "04_gradient_descent": ["update_rule", "fix_train_step", "quiz_diverging_lr"],
    "05_training_loop": ["order_steps", "implement_loop", "quiz_updates_per_epoch"],
    "06_hidden_layer": ["quiz_xor", "network_output", "network_gradients", "train_network"],
    "07_layers_as_matrices": ["quiz_shapes", "dense_forward", "mse_grad", "dense_backward", "quiz_zero_init"],
    "08_classification": ["softmax", "cross_entropy", "predict_ce_output", "softmax_ce_gradient", "fix_accuracy",
                          "quiz_mse_for_classes"],
    "09_reading_digits": ["order_minibatch", "train_classifier", "quiz_overfitting"],
}


def rel(path):
    return path.relative_to(ROOT)


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_notebook_is_valid_and_cleared(path):
    """Is the notebook valid nbformat 4, saved without outputs or execution counts?"""
    nb = read(path)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert dirty == [], f"{rel(path)}: cells {dirty} have outputs; run `make clean-notebooks`"
    assert "widgets" not in nb.metadata, "saved widget state is volatile; clear it"


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_grade_ids_unique_and_every_answer_tested(path):
    """Is every grade_id unique, and does every answer id have a test_<id> cell?"""
    nb = read(path)
    ids = [nbgrader_meta(c)["grade_id"] for c in nb.cells if "grade_id" in nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), f"duplicate grade_ids in {rel(path)}"
    tests = [nbgrader_meta(c)["grade_id"] for c in check_cells(nb)]
    for cell in answer_cells(nb):
        answer_id = nbgrader_meta(cell)["grade_id"]
        assert any(t == f"test_{answer_id}" or t.startswith(f"test_{answer_id}_") for t in tests), \
            f"{rel(path)}: answer {answer_id} has no test_{answer_id} cell"
    for cell in check_cells(nb):
        assert nbgrader_meta(cell)["locked"] and nbgrader_meta(cell)["points"] > 0


@pytest.mark.parametrize("path", notebooks("source"), ids=lambda p: p.stem)
def test_hidden_tests_hold_no_code(path):
    """Does every hidden-test region hold comments only? A test cell runs in the student's kernel, where
    student code can read a key or a reference it holds; the hidden checks are grader/answers/'s."""
    for cell in check_cells(read(path)):
        hidden = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S)
        code = [line for region in hidden for line in region.splitlines() if line.strip()
                and not line.strip().startswith("#")]
        assert code == [], f"{rel(path)} {nbgrader_meta(cell)['grade_id']}: {code[:2]}"


@pytest.mark.parametrize("stem", [p.stem for p in notebooks("source")])
def test_answer_ids_are_the_lessons_own(stem):
    """Does the notebook hold exactly the answer ids its lesson's files name: the answers the grader confirms
    (grader/answers/<topic>.py) and the ones its variants fill (tests/submissions/<notebook>.py)?"""
    ids = {nbgrader_meta(c)["grade_id"] for c in answer_cells(read(source(stem)))}
    confirmed = {c.answer for c in confirmations_for(stem, random.Random(0)) or []}
    assert ids == confirmed, f"answer cells {sorted(ids)}, grader/answers confirms {sorted(confirmed)}"
    filled = {answer for variant in load_variants(stem).values() for answer in variant["answers"]}
    assert filled <= ids, f"tests/submissions/{stem}.py fills answer cells the notebook lacks: {sorted(filled - ids)}"


@pytest.mark.parametrize("stem", [p.stem for p in notebooks("source") if p.stem in COURSE_SPEC_ANSWER_IDS])
def test_course_spec_answer_ids_present(stem):
    """Does each of COURSE_SPEC's lessons hold the answer ids the spec fixes (and maybe more)?"""
    ids = {nbgrader_meta(c)["grade_id"] for c in answer_cells(read(source(stem)))}
    assert set(COURSE_SPEC_ANSWER_IDS[stem]) <= ids


def test_every_lesson_of_course_spec_exists():
    """Are the lessons of COURSE_SPEC (all three assignments) all in source/? (More may follow them.)"""
    assert set(COURSE_SPEC_ANSWER_IDS) <= {p.stem for p in (ROOT / "source").glob("*/*.ipynb")}


def secret_lines():
    """Lines inside SOLUTION and HIDDEN TESTS blocks of the source notebooks that would give something away.

    Short lines (`z = bias`, `return w`) and lines that are also public (outside any block, or released on
    purpose as starter code in a STUB block) are too generic to count as a leak.
    """
    secret, public = set(), set()
    for path in (ROOT / "source").glob("*/*.ipynb"):
        for cell in read(path).cells:
            block = None
            for line in cell.source.splitlines():
                text = line.strip()
                marker = re.search(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS|STUB)", text)
                if marker:
                    block = marker.group(2) if marker.group(1) == "BEGIN" else None
                elif block == "STUB":
                    public.add(text.removeprefix("#").strip())
                elif block:
                    secret.add(text)
                else:
                    public.add(text)
    return {s for s in secret - public if len(s) >= 16 and not s.startswith("#")}


def test_no_secret_in_release_or_course_package():
    """Does no solution line or hidden test line appear in release/, the course package, or the docs?"""
    secrets = secret_lines()
    assert secrets, "found no SOLUTION / HIDDEN TESTS blocks at all"
    places = {rel(p): "\n".join(c.source for c in read(p).cells) for p in notebooks("release")}
    public = [*(ROOT / "course").rglob("*.py"), *(ROOT / "docs").rglob("*.md"), ROOT / "README.md",
              *(ROOT / "benchmarks").glob("*.py"), *(ROOT / "tools").glob("*")]
    places.update({rel(p): p.read_text() for p in public if p.is_file()})
    leaks = {str(where): [s for s in secrets if s in text] for where, text in places.items()}
    assert {k: v for k, v in leaks.items() if v} == {}


def test_release_has_no_delimiters():
    """Has generate_assignment removed every SOLUTION / HIDDEN TESTS / STUB marker?"""
    for path in notebooks("release"):
        text = json.dumps([c.source for c in read(path).cells])
        assert not re.search(r"BEGIN (SOLUTION|HIDDEN TESTS|STUB)|END (SOLUTION|HIDDEN TESTS|STUB)", text), rel(path)


@pytest.mark.parametrize("path", notebooks("source"), ids=lambda p: p.stem)
def test_every_lesson_has_its_files(path):
    """Does each source notebook come with the files `make lesson` creates (grader.lessons.LESSON_FILES)?

    Above all its variants (tests/submissions/<notebook>.py): without them the round trip grades
    only the perfect and the untouched copies, and a wrong answer could score without anyone noticing.
    """
    stem = path.stem
    assert lessons.topic(stem), f"{rel(path)}: name it NN_topic.ipynb (two digits, underscore, lower-case topic)"
    needed = lessons.lesson_files(stem, path.parent.name)
    assert [n for n in needed.values() if not (ROOT / n).is_file()] == []
    variants = load_variants(stem)
    assert variants, f"tests/submissions/{stem}.py has no VARIANTS"
    assert any(v["scores"] for v in variants.values()), \
        f"tests/submissions/{stem}.py: no variant loses a mark, so no wrong answer is ever graded"
