"""The whole path, run for real: source -> generate_assignment -> submissions -> autograde -> scores."""
import re

import nbformat
import pytest

from tests.support.course_files import ROOT, answer_cells, assignment_of, check_cells, notebooks, read, release, source
from tests.support.grading import fill, load_variants, nbgrader, read_scores, student_id, write_submission

STEMS = [p.stem for p in notebooks()]
VARIANTS = [(stem, name) for stem in STEMS for name in load_variants(stem)]


def test_release_is_exactly_what_generate_assignment_makes(course):
    """Is the committed release/ what `nbgrader generate_assignment` makes from source/ today?"""
    generated = course["path"] / "release"
    assert sorted(p.relative_to(generated) for p in generated.glob("*/*.ipynb")) == \
        sorted(p.relative_to(ROOT / "release") for p in (ROOT / "release").glob("*/*.ipynb")), \
        "release/ and source/ hold different notebooks: run `make release`"
    for path in notebooks("release", course["path"]):
        assert read(path) == read(release(path.stem)), f"release/{path.stem} is stale: run `make release`"


def test_generate_assignment_logs_no_warning(course):
    """Does generate_assignment run without a single warning or error line?"""
    noisy = [line for line in course["generate_log"].splitlines() if re.search(r"\| (WARNING|ERROR)\]", line)]
    assert noisy == []


@pytest.mark.parametrize("stem", STEMS)
def test_source_solutions_score_full_marks(graded, stem):
    """Do the instructor's solutions earn every point of every test cell?"""
    scores = graded["scores"][student_id(stem, "perfect")]
    assert scores, f"{stem} has no test cells"
    assert {k: s for k, (s, m) in scores.items() if s != m} == {}


@pytest.mark.parametrize("stem", STEMS)
def test_untouched_release_scores_zero(graded, stem):
    """Does the untouched student notebook run to the end and earn nothing?"""
    scores = graded["scores"][student_id(stem, "untouched")]
    assert {k: s for k, (s, _) in scores.items() if s != 0} == {}
    autograded = graded["path"] / "autograded" / student_id(stem, "untouched") / assignment_of(stem) / f"{stem}.ipynb"
    assert autograded.exists(), "autograde did not finish the untouched notebook"


@pytest.mark.parametrize("stem,variant", VARIANTS)
def test_variant_scores_exactly_as_expected(graded, stem, variant):
    """Does each variant lose marks exactly where its mistake is, and nowhere else?"""
    sid = student_id(stem, variant)
    _, expected_scores = graded["expected"][sid]
    scores = graded["scores"][sid]
    unknown = set(expected_scores) - set(scores)
    assert not unknown, f"{stem}.{variant} names test cells that do not exist: {unknown}"
    want = {cell: expected_scores.get(cell, max_score) for cell, (_, max_score) in scores.items()}
    got = {cell: score for cell, (score, _) in scores.items()}
    assert got == want


def test_the_grader_confirms_every_variant_without_a_flag(graded):
    """Does the grader's own check, outside the kernel, agree with the tests on every honest variant?

    A flag would mean a mark withheld (or unconfirmed) for code that only made honest mistakes.
    """
    assert {sid: cells for sid, cells in graded["flagged"].items() if cells} == {}


def test_students_validate_button_passes_correct_answers(graded):
    """Does nbgrader's Validate (what the toolbar button runs) call correct answers a success?

    Validate runs the student's copy, where hidden tests are stripped: a check whose value is
    left as a test cell's output would be read as partial credit there, and only there.
    """
    folder = graded["path"] / "validate"
    folder.mkdir(exist_ok=True)
    for stem in STEMS:
        release_nb = read(release(stem, graded["path"]))
        solutions = {c.metadata.nbgrader["grade_id"]: c.source for c in answer_cells(read(source(stem)))}
        nbformat.write(fill(release_nb, solutions), folder / f"{stem}.ipynb")
    log = nbgrader(graded["path"], "validate", *[f"validate/{stem}.ipynb" for stem in STEMS])
    assert log.count("Success! Your notebook passes all the tests.") == len(STEMS), log[-3000:]


def test_autograde_logs_no_spurious_warning(graded):
    """Are the only warnings the expected ones (each fixture student submits one notebook of five)?"""
    noisy = [line for line in graded["log"].splitlines()
             if re.search(r"\| (WARNING|ERROR)\]", line) and "No submitted file" not in line]
    assert noisy == []


def test_same_submission_graded_twice_gets_same_score(graded):
    """Does re-grading (nbgrader autograde --force) give identical scores?"""
    first = graded["scores"]
    for assignment in sorted({assignment_of(stem) for stem in STEMS}):
        nbgrader(graded["path"], "autograde", assignment, "--force", "--student=nb*-perfect")
    again = read_scores(graded["path"], {sid: graded["expected"][sid] for sid in first if sid.endswith("-perfect")})
    assert again == {sid: first[sid] for sid in again}


def test_edited_test_cells_are_restored_with_hidden_tests_and_reported(graded):
    """Does a student who blanks the test cells still face the hidden tests, and does the log say so?"""
    stem = "01_forward_pass"
    release_nb = read(release(stem, graded["path"]))
    hard_coded = load_variants(stem)["hard_coded"]["answers"]
    nb = fill(release_nb, hard_coded)
    for cell in check_cells(nb):
        cell.source = "pass  # nothing to check here"
    write_submission(graded["path"], "tamper-blanked-tests", stem, nb)
    log = nbgrader(graded["path"], "autograde", assignment_of(stem), "--student=tamper-blanked-tests")
    scores = read_scores(graded["path"], {"tamper-blanked-tests": (stem, {})})["tamper-blanked-tests"]
    assert scores["test_neuron_output"][0] == 0 and scores["test_neuron_output_any_length"][0] == 0
    for cell in check_cells(read(source(stem))):
        assert f"Attribute 'checksum' for cell {cell.metadata.nbgrader['grade_id']} has changed" in log


@pytest.mark.parametrize("stem", STEMS)
def test_graded_notebooks_say_where_pictures_would_be(graded, stem):
    """Under nbgrader nothing is drawn: the graded notebook (and so its feedback) holds no PNG, and
    every explorer's cell says instead that its picture appears when the student runs the notebook."""
    nb = read(graded["path"] / "autograded" / student_id(stem, "perfect") / assignment_of(stem) / f"{stem}.ipynb")
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert not [o for cell in code for o in cell.outputs if "image/png" in o.get("data", {})]
    explorers = [cell for cell in code if re.search(r"\w+_(explorer|visualizer|dashboard)\(", cell.source)]
    assert explorers
    for cell in explorers:
        said = [o for o in cell.outputs if "drawn when you run" in o.get("data", {}).get("text/markdown", "")]
        assert said, cell.source


@pytest.mark.parametrize("stem", STEMS)
def test_graded_solutions_run_without_an_error_in_any_cell(graded, stem):
    """In the grading sandbox's view of course/ (no lesson engines), every cell of a solved notebook runs:
    the lessons' own "try it" calls are answered (grader/sandbox/course_view.py, LESSON_CALLS)."""
    nb = read(graded["path"] / "autograded" / student_id(stem, "perfect") / assignment_of(stem) / f"{stem}.ipynb")
    errors = [(cell.source[:60], o.get("ename"), o.get("evalue", "")[:120]) for cell in nb.cells
              if cell.cell_type == "code" for o in cell.outputs if o.get("output_type") == "error"]
    assert errors == []
