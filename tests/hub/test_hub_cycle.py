"""A class's whole nbgrader cycle on a real JupyterHub, in Chromium, logged in as three different users.

The instructor releases how_networks_learn from formgrader (inside their own JupyterLab); two students
fetch it from the Assignments panel, answer (one fully, one partly), press Validate and submit, the
second after the due date; the instructor collects from formgrader and runs `make grade` on what was
collected (sandboxed, the late penalty applied), then releases feedback from formgrader; each student
fetches their own feedback and sees their score and nothing of the other's. A student who tries to read
the other's submission in the exchange, or the other's server, is refused.
"""
import datetime
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from lab_server import validation_dialog
from nbgrader.api import Gradebook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from grader.samples import build_notebook

from .hubclass import ASSIGNMENT, COURSE_ID, ROOT

pytestmark = pytest.mark.hub

TEACHER, ADA, BOB = "hnlt-teacher", "hnlt-ada", "hnlt-bob"
NOTEBOOK = "01_forward_pass.ipynb"
SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def hub_class(hub_class_factory):
    return hub_class_factory([(TEACHER, "instructor"), (ADA, "student"), (BOB, "student")])


class User:
    """One person's browser (cookies of their own) on the hub."""

    def __init__(self, browser, hub, klass, name):
        self.name, self.hub, self.klass = name, hub, klass
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.server = f"http://{name}.localhost:{hub['port']}/user/{name}"

    def log_in(self):
        page = self.page
        page.goto(f"{self.hub['base']}/hub/login")
        page.fill("#username_input", self.name)
        page.fill("#password_input", self.klass.passwords[self.name])
        page.click("#login_submit")
        # The hub starts the user's server and sends the browser to it, on the user's own origin.
        page.wait_for_url(f"{self.server}/lab**", timeout=180_000)
        self.menu_bar().wait_for()
        return self

    def menu_bar(self):
        return self.page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader")

    def open_menu(self):
        """Open the Nbgrader menu; return its labels' locator. A click that lands while the lab is still
        moving focus (a tab just closed, a panel restoring) can close the menu as it opens, so a menu that
        does not show is asked for again, a few times, before the test gives up with a screenshot."""
        self.page.bring_to_front()
        labels = self.page.locator(".lm-Menu:visible .lm-Menu-item:visible .lm-Menu-itemLabel")
        for _ in range(4):
            self.menu_bar().click()
            try:
                labels.first.wait_for(timeout=10_000)
                return labels
            except PlaywrightTimeout:
                self.page.keyboard.press("Escape")
        self.shot(f"{self.name}_no_menu")
        raise AssertionError(f"{self.name}: the Nbgrader menu did not open")

    def nbgrader_menu(self):
        items = self.open_menu().all_inner_texts()
        self.page.keyboard.press("Escape")
        return [item for item in items if item.strip()]

    def open_from_menu(self, label):
        self.open_menu().get_by_text(label, exact=True).click()

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"hub_{name}.png"))


@pytest.fixture
def person(browser, hub_server, hub_class):
    """Log someone in, in a browser context of their own, closed after the test (the browser is shared)."""
    made = []

    def log_in(name):
        made.append(User(browser, hub_server, hub_class, name))
        return made[-1].log_in()

    yield log_in
    for user in made:
        user.context.close()


def formgrader(teacher):
    """formgrader, opened from the Nbgrader menu inside the instructor's JupyterLab (an iframe there)."""
    teacher.open_from_menu("Formgrader")
    frame = teacher.page.frame_locator("iframe[src*='formgrader']")
    frame.locator("tr", has_text=ASSIGNMENT).first.wait_for()
    return frame


def formgrader_action(teacher, frame, column):
    """Press one of the assignment row's buttons (release, collect, release-feedback); wait for its verdict."""
    frame.locator("tr", has_text=ASSIGNMENT).first.locator(f"td.{column} a").click()
    verdict = frame.locator("#success-modal, #error-modal")
    verdict.first.wait_for(timeout=120_000)
    text = verdict.first.inner_text()
    assert frame.locator("#success-modal").count() == 1, f"formgrader's {column} failed:\n{text}"
    frame.locator("#success-modal .modal-footer button", has_text="OK").click()
    frame.locator("#success-modal").wait_for(state="detached")
    return text


def frame_policy(user, url):
    """The Content-Security-Policy the user's browser receives for ``url``."""
    tab = user.context.new_page()
    try:
        return tab.goto(url).headers.get("content-security-policy", "")
    finally:
        tab.close()


def assignments_panel(student):
    student.open_from_menu("Assignment List")


def item(student, listing):
    return student.page.locator(f"#{listing}_assignments_list .list_item", has_text=ASSIGNMENT).first


def validate(student, notebook):
    """Open the notebook in the student's lab and press Validate; return (verdict class, text)."""
    page = student.page
    page.goto(f"{student.server}/lab/tree/{COURSE_ID}/{ASSIGNMENT}/{notebook}")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=120_000)
    return validation_dialog(page, timeout=180_000)


def answer(klass, student, kind):
    """The student's answers, written into the notebooks they fetched (as a student saving them would)."""
    folder = Path(klass.home(student)) / COURSE_ID / ASSIGNMENT
    source = ROOT / "source" / ASSIGNMENT
    for path in sorted(folder.glob("*.ipynb")):
        answered = build_notebook(kind, nbformat.read(path, as_version=4),
                                  nbformat.read(source / path.name, as_version=4), seed=1)
        nbformat.write(answered, path)
    subprocess.run(["chown", "-R", f"{student}:{student}", str(folder)], check=True)


def refused(klass, student, *commands):
    """Each command, run as ``student``, is refused by the file system."""
    for args in commands:
        done = klass.run_as(student, args, check=False)
        assert done.returncode != 0 and "Permission denied" in done.stderr, (args, done.stdout, done.stderr)


def submit(student):
    assignments_panel(student)
    fetched = item(student, "fetched")
    fetched.wait_for()
    fetched.get_by_role("button", name="Submit").click()
    item(student, "submitted").wait_for(timeout=120_000)


def test_a_class_cycle_on_the_hub(hub_class, hub_server, person):
    started = time.perf_counter()
    klass = hub_class
    teacher, ada, bob = person(TEACHER), person(ADA), person(BOB)

    # Roles: students see the Assignments panel only; the instructor also sees formgrader.
    assert "Formgrader" in teacher.nbgrader_menu()
    for student in (ada, bob):
        menu = student.nbgrader_menu()
        assert menu == ["Assignment List"], f"{student.name} sees {menu}"

    # The frame policy stays JupyterHub's everywhere but where formgrader needs it: the hub and students'
    # servers forbid all framing; an instructor's server allows its own origin only (one per user).
    assert frame_policy(teacher, f"{hub_server['base']}/hub/home").startswith("frame-ancestors 'none'")
    assert frame_policy(ada, f"{ada.server}/lab") == "frame-ancestors 'none'"
    assert frame_policy(teacher, f"{teacher.server}/formgrader") == "frame-ancestors 'self'"

    # formgrader opens inside the instructor's lab, and releases the assignment to the exchange.
    frame = formgrader(teacher)
    teacher.shot("formgrader_in_lab")
    formgrader_action(teacher, frame, "release")
    assert (klass.exchange / COURSE_ID / "outbound" / ASSIGNMENT / NOTEBOOK).exists()

    # Both students fetch it from the Assignments panel.
    for student in (ada, bob):
        assignments_panel(student)
        released = item(student, "released")
        released.wait_for()
        released.get_by_role("button", name="Fetch").click()
        item(student, "fetched").wait_for()
        assert (Path(klass.home(student.name)) / COURSE_ID / ASSIGNMENT / NOTEBOOK).exists()

    # Ada answers everything, Bob part; each presses Validate.
    answer(klass, ADA, "perfect")
    answer(klass, BOB, "partial")
    verdict, text = validate(ada, NOTEBOOK)
    assert verdict == "validation-success", text
    ada.shot("ada_validated")
    verdict, text = validate(bob, NOTEBOOK)
    assert verdict == "validation-failed", text

    # Ada submits on time; the due date passes; Bob submits late.
    submit(ada)
    due = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=1)
    klass.run_as(TEACHER, ["python", "-m", "nbgrader", "db", "assignment", "add", ASSIGNMENT,
                           f"--duedate={due:%Y-%m-%d %H:%M:%S} UTC"], cwd=klass.course)
    time.sleep(2)
    submit(bob)
    bob.shot("bob_submitted")

    # A student cannot read the other's submission in the exchange, nor reach the other's server.
    inbound = klass.exchange / COURSE_ID / "inbound"
    theirs = next(inbound.glob(f"{ADA}+{ASSIGNMENT}+*"))
    refused(klass, BOB, ["ls", inbound], ["ls", theirs], ["cat", theirs / NOTEBOOK], ["ls", klass.home(ADA)],
            ["ls", klass.course])
    # Nor the instructors' course folder (hidden tests) or the grading code (reference answers).
    refused(klass, BOB, ["ls", klass.course / "source"], ["ls", klass.env.parent / "grading"])
    done = klass.run_as(BOB, ["python", "-c", "import grader"], check=False)
    assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr, done.stderr
    tab = bob.context.new_page()
    response = tab.goto(f"http://{ADA}.localhost:{hub_server['port']}/user/{ADA}/api/contents/"
                        f"{COURSE_ID}/{ASSIGNMENT}/{NOTEBOOK}")
    assert response.status == 403 and '"cells"' not in tab.content(), (response.status, tab.content()[:300])
    tab.close()

    # The instructor collects from formgrader, and grades what was collected with `make grade`.
    frame = formgrader(teacher)
    formgrader_action(teacher, frame, "collect")
    for student in (ADA, BOB):
        assert (klass.course / "submitted" / student / ASSIGNMENT / NOTEBOOK).exists(), student
    graded = klass.run_as(TEACHER, ["make", "grade", f"ASSIGNMENT={ASSIGNMENT}", "JOBS=2"], cwd=klass.course,
                          timeout=900)
    print(graded.stdout[-2000:])
    with Gradebook(f"sqlite:///{klass.course / 'gradebook.db'}", COURSE_ID) as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s) for s in (ADA, BOB)}
        ada_sub, bob_sub = scores[ADA], scores[BOB]
        assert ada_sub.score == ada_sub.max_score > 0 and ada_sub.late_submission_penalty == 0
        assert 0 < bob_sub.score < bob_sub.max_score, "Bob answered part: partial marks before the penalty"
        assert bob_sub.late_submission_penalty == bob_sub.score, "Bob was late: the course's penalty is zero"
        expected = {ADA: ada_sub.score, BOB: 0.0}
        total = ada_sub.max_score
        # What each student's feedback on lesson 01 must say: their own score there, after any penalty.
        first = {s: gb.find_submission_notebook(Path(NOTEBOOK).stem, ASSIGNMENT, s) for s in (ADA, BOB)}
        headers = {s: f"{Path(NOTEBOOK).stem} (Score: {nb.score - (nb.late_submission_penalty or 0)} / {nb.max_score})"
                   for s, nb in first.items()}
    assert headers[ADA] != headers[BOB], headers

    # Feedback is released from formgrader; each student fetches their own and sees their score only.
    frame = formgrader(teacher)
    formgrader_action(teacher, frame, "release-feedback")
    for student in (ada, bob):
        assignments_panel(student)
        submitted = item(student, "submitted")
        submitted.get_by_role("button", name="Fetch Feedback").click()
        feedback = Path(klass.home(student.name)) / COURSE_ID / ASSIGNMENT / "feedback"
        for _ in range(100):
            if list(feedback.glob(f"*/{NOTEBOOK.replace('.ipynb', '.html')}")):
                break
            time.sleep(0.3)
        pages = sorted(feedback.glob("*/*.html"))
        assert len(pages) == 5, (student.name, pages)
        html_path = next(p for p in pages if p.stem == Path(NOTEBOOK).stem).relative_to(klass.home(student.name))
        student.page.goto(f"{student.server}/files/{html_path}")
        shown = student.page.locator("body").inner_text()
        student.shot(f"{student.name}_feedback")
        other = BOB if student.name == ADA else ADA
        assert headers[student.name] in shown and headers[other] not in shown, (headers, shown[:300])
        assert ("Late submission penalty" in shown) == (student.name == BOB), shown[:300]
    refused(klass, BOB, ["ls", klass.exchange / COURSE_ID / "feedback"])
    elapsed = time.perf_counter() - started
    print(f"hub cycle: {elapsed:.0f} s; scores {expected} of {total}")
