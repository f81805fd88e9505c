"""A class's whole nbgrader cycle on a real JupyterHub, in Chromium, logged in as different users, and what
a class can do to it while it runs.

The instructor releases how_networks_learn from formgrader (inside their own JupyterLab); two students
fetch it from the Assignments panel; the instructor fixes a notebook and re-releases it from a Lab
terminal (`make release`), and a student who had fetched it takes the fix; the students answer (one fully,
one partly), press Validate and submit, the second after the due date. A third student joins mid-term
(`make roster`, no restart) and, from a login shell, tries to submit as a classmate, to backdate a late
submission and to hand in the instructors' files through a link: collect (formgrader) refuses and names
what is not its student's own, re-times the backdated one, and the instructor removes the refused folders
(`hnl-remove-refused`). A second instructor, over "SSH" (a login shell), grades what was collected with
`make grade` (sandboxed, the late penalty applied) and releases feedback; each student fetches their own
feedback and sees their score and nothing of the other's. A student who tries to read another's
submission, the other's server, the course folder or the clone the hub was set up from is refused.
Last, the third student is disabled, and the hub restarts without stopping anyone's server.
"""
import datetime
import os
import re
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.lab_server import validation_dialog
from tests.support.samples import build_notebook

from .hubclass import ASSIGNMENT, COURSE_ID, ROOT, user

pytestmark = pytest.mark.hub

TEACHER, TEACHER2, ADA, BOB, EVE = (user("t", name) for name in ("teacher", "second", "ada", "bob", "eve"))
NOTEBOOK = "01_forward_pass.ipynb"
SHOTS = ROOT / "artifacts" / "screenshots"
CLASS = [(TEACHER, "instructor"), (TEACHER2, "instructor"), (ADA, "student"), (BOB, "student")]


@pytest.fixture(scope="module")
def hub_class(hub_class_factory):
    return hub_class_factory(CLASS)


class User:
    """One person's browser (cookies of their own) on the hub."""

    def __init__(self, browser, hub, klass, name):
        self.name, self.hub, self.klass = name, hub, klass
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.server = f"http://{name}.localhost:{hub.port}/user/{name}"

    def log_in(self):
        page = self.page
        page.goto(f"{self.hub.base}/hub/login")
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

    def terminal(self, command, seconds=900):
        """Run ``command`` in a new terminal of this user's JupyterLab (the login shell a Terminal tab
        starts, through the same REST API and websocket); return (exit status, what it printed)."""
        status, output = self.page.evaluate(TERMINAL_JS, [self.server, command, seconds])
        assert status is not None, f"{self.name}: `{command}` did not finish in {seconds} s:\n{output[-3000:]}"
        return status, output


# A cookie-authenticated API request to a user's server needs the XSRF token (JupyterHub >= 4.1), GET too.
HEADERS_JS = ('const headers = {"X-XSRFToken": '
              'decodeURIComponent((document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || "")};')
STATUS_JS = f"""async (url) => {{ {HEADERS_JS}
    try {{ return (await fetch(url, {{headers}})).status; }} catch (error) {{ return String(error); }}
}}"""
TERMINAL_JS = "async ([server, command, seconds]) => {" + HEADERS_JS + """
    const {name} = await (await fetch(`${server}/api/terminals`, {method: "POST", headers})).json();
    const socket = new WebSocket(`${server.replace(/^http/, "ws")}/terminals/websocket/${name}`);
    let output = "";
    const status = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), seconds * 1000);
        // The marker is typed split in two, so that the terminal's echo of the command never matches it.
        socket.onopen = () => socket.send(JSON.stringify(["stdin", `${command}; echo "__exit=""$?__"\\r`]));
        socket.onmessage = (event) => {
            const [kind, text] = JSON.parse(event.data);
            if (kind !== "stdout") return;
            output += text;
            const done = output.match(/__exit=(\\d+)__/);
            if (done) { clearTimeout(timer); resolve(Number(done[1])); }
        };
    });
    socket.close();
    await fetch(`${server}/api/terminals/${name}`, {method: "DELETE", headers});
    return [status, output];
}"""


@pytest.fixture
def person(browser, hub_server, hub_class):
    """Log someone in, in a browser context of their own, closed after the test (the browser is shared)."""
    made = []

    def log_in(name):
        made.append(User(browser, hub_server, hub_class, name))
        return made[-1].log_in()

    yield log_in
    for someone in made:
        someone.context.close()


def formgrader(teacher):
    """formgrader, opened from the Nbgrader menu inside the instructor's JupyterLab (an iframe there)."""
    teacher.open_from_menu("Formgrader")
    frame = teacher.page.frame_locator("iframe[src*='formgrader']")
    frame.locator("tr", has_text=ASSIGNMENT).first.wait_for()
    return frame


def formgrader_action(teacher, frame, column, verdict="success"):
    """Press one of the assignment row's buttons (release, collect, release-feedback); wait for its verdict,
    which must be ``verdict`` (success or error); return what the dialog says, and close it."""
    frame.locator("tr", has_text=ASSIGNMENT).first.locator(f"td.{column} a").click()
    shown = frame.locator("#success-modal, #error-modal")
    shown.first.wait_for(timeout=120_000)
    text = shown.first.inner_text()
    assert frame.locator(f"#{verdict}-modal").count() == 1, f"formgrader's {column}: not {verdict}:\n{text}"
    frame.locator(f"#{verdict}-modal .modal-footer button", has_text="OK").click()
    frame.locator(f"#{verdict}-modal").wait_for(state="detached")
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


def fix_in_source(klass, notebook, sentence):
    """The instructor's fix to a released notebook: a sentence added to its first text cell, in source/."""
    path = klass.course / "source" / ASSIGNMENT / notebook
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.cell_type == "markdown").source += f"\n\n{sentence}"
    nbformat.write(nb, path)  # an existing file: its owner and mode stay the instructors'


def has(path, text):
    return text in path.read_text()


def hub_login(browser, hub, name, password):
    """Log in to the hub's login form without starting a server; the hub's answer: 302 (in) or 403."""
    context = browser.new_context()
    try:
        form = context.request.get(f"{hub.base}/hub/login").text()
        xsrf = re.search(r'name="_xsrf" value="([^"]*)"', form).group(1)
        return context.request.post(f"{hub.base}/hub/login?next=%2Fhub%2Fhome", max_redirects=0,
                                    form={"username": name, "password": password, "_xsrf": xsrf}).status
    finally:
        context.close()


def server_pid(name):
    """The pid of ``name``'s JupyterLab server."""
    found = subprocess.run(["pgrep", "-u", name, "-f", "jupyterhub-singleuser"], capture_output=True, text=True)
    pids = found.stdout.split()
    assert len(pids) == 1, (name, found.stdout)
    return int(pids[0])


def utc(moment):
    return f"{moment:%Y-%m-%d %H:%M:%S.%f} UTC"


def eve_attacks(klass, due):
    """What a student can type in their own terminal: submit late, then rename the submission (and rewrite
    its timestamp.txt) to before the due date; make a submission named as Ada's, newer than hers, of
    untouched notebooks; make one whose notebook links to the instructors' solution. Returns the names."""
    inbound = klass.exchange / COURSE_ID / "inbound"
    outbound = klass.exchange / COURSE_ID / "outbound" / ASSIGNMENT
    now = datetime.datetime.now(datetime.timezone.utc)
    early, later = utc(due - datetime.timedelta(hours=1)), utc(now + datetime.timedelta(minutes=5))
    backdated = f"{EVE}+{ASSIGNMENT}+{early}+early"
    forged = f"{ADA}+{ASSIGNMENT}+{later}+forged"
    linked = f"{EVE}+{ASSIGNMENT}+{utc(now)}+linked"
    klass.login_shell(EVE, f"""set -eo pipefail
        cd
        late=$(nbgrader submit {ASSIGNMENT} 2>&1 | sed -n 's/.*Destination: //p')  # its name, as nbgrader logs it
        test -n "$late"
        cd {inbound}
        mv "$late" '{backdated}'
        chmod u+w '{backdated}/timestamp.txt' && echo '{early}' > '{backdated}/timestamp.txt'
        mkdir '{forged}' && cp {outbound}/*.ipynb '{forged}/' && echo '{later}' > '{forged}/timestamp.txt'
        chmod 700 '{forged}'
        mkdir '{linked}' && cp {outbound}/*.ipynb '{linked}/'
        ln -sf {klass.course}/source/{ASSIGNMENT}/{NOTEBOOK} '{linked}/{NOTEBOOK}'
    """)
    return forged, linked, backdated


def submit(student):
    assignments_panel(student)
    fetched = item(student, "fetched")
    fetched.wait_for()
    fetched.get_by_role("button", name="Submit").click()
    item(student, "submitted").wait_for(timeout=120_000)


def test_a_class_cycle_on_the_hub(hub_class, hub_server, person, browser):
    started = time.perf_counter()
    klass, hub = hub_class, hub_server
    teacher, ada, bob = person(TEACHER), person(ADA), person(BOB)
    inbound = klass.exchange / COURSE_ID / "inbound"

    # Roles: students see the Assignments panel only; the instructor also sees formgrader.
    assert "Formgrader" in teacher.nbgrader_menu()
    for student in (ada, bob):
        menu = student.nbgrader_menu()
        assert menu == ["Assignment List"], f"{student.name} sees {menu}"

    # The frame policy stays JupyterHub's everywhere but where formgrader needs it: the hub and students'
    # servers forbid all framing; an instructor's server allows its own origin only (one per user).
    assert frame_policy(teacher, f"{hub.base}/hub/home").startswith("frame-ancestors 'none'")
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

    # The instructor fixes a released notebook and releases it again from a terminal in their JupyterLab
    # (README); Bob, who had fetched it, takes the fix in his (README: set the old copy aside, fetch with
    # --replace); Ada, who did not, keeps hers.
    fix = "Fixed after release: this sentence is the fix."
    fix_in_source(klass, NOTEBOOK, fix)
    status, output = teacher.terminal(f"cd ~/{COURSE_ID} && make release && "
                                      f"nbgrader release_assignment {ASSIGNMENT} --force")
    assert status == 0, output[-3000:]
    assert has(klass.exchange / COURSE_ID / "outbound" / ASSIGNMENT / NOTEBOOK, fix)
    klass.login_shell(BOB, f"cd ~/{COURSE_ID}/{ASSIGNMENT} && mv {NOTEBOOK} old-{NOTEBOOK} && cd && "
                           f"nbgrader fetch_assignment {ASSIGNMENT} --replace && rm ~/{COURSE_ID}/{ASSIGNMENT}/old-*")
    fetched = {name: Path(klass.home(name)) / COURSE_ID / ASSIGNMENT / NOTEBOOK for name in (ADA, BOB)}
    assert has(fetched[BOB], fix) and not has(fetched[ADA], fix)

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
    ada_folder = next(inbound.glob(f"{ADA}+{ASSIGNMENT}+*"))
    refused(klass, BOB, ["ls", inbound], ["ls", ada_folder], ["cat", ada_folder / NOTEBOOK], ["ls", klass.home(ADA)],
            ["ls", klass.course])
    # Nor the instructors' course folder (hidden tests), the grading code (reference answers), or the clone
    # the hub was set up from (readable by everyone before `make hub` made it private).
    refused(klass, BOB, ["ls", klass.course / "source"], ["ls", klass.env.parent / "grading"],
            ["ls", klass.repo / "grader"], ["cat", klass.repo / "source" / ASSIGNMENT / NOTEBOOK])
    done = klass.run_as(BOB, ["python", "-c", "import grader"], check=False)
    assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr, done.stderr
    tab = bob.context.new_page()
    response = tab.goto(f"http://{ADA}.localhost:{hub.port}/user/{ADA}/api/contents/"
                        f"{COURSE_ID}/{ASSIGNMENT}/{NOTEBOOK}")
    assert response.status == 403 and '"cells"' not in tab.content(), (response.status, tab.content()[:300])
    tab.close()

    # Eve joins mid-term: `make roster` while the hub serves; she may log in at once, and nothing restarted.
    hub_pid, teacher_pid = hub.pid, server_pid(TEACHER)
    _, seconds = klass.apply_roster([*CLASS, (EVE, "student")])
    print(f"added a student to the running class with `make roster` in {seconds:.1f} s")
    assert hub_login(browser, hub, EVE, klass.passwords[EVE]) == 302
    assert (hub.pid, server_pid(TEACHER)) == (hub_pid, teacher_pid)
    # A second hub is refused, for this class or on a busy port; the running one and its proxy carry on.
    other = klass.root / "other"
    (other / "state").mkdir(parents=True)
    (other / "state" / "class.json").write_text((klass.root / "state" / "class.json").read_text())
    for root, message in ((klass.root, "already serves this class"), (other, f"port {hub.port} (the hub)")):
        again = subprocess.run(["python3", "hub/deploy.py", "serve", "--root", str(root), "--port", str(hub.port)],
                               cwd=klass.repo, env=hub.env, capture_output=True, text=True, timeout=60)
        assert again.returncode == 2 and message in again.stderr, again.stdout + again.stderr
    assert hub_login(browser, hub, ADA, klass.passwords[ADA]) == 302
    assert (hub.pid, server_pid(TEACHER)) == (hub_pid, teacher_pid)

    # Eve fetches and answers (in a login shell, as in her Lab terminal), submits late, then tries to backdate
    # her submission, to submit as Ada, to hand in the solutions through a link, and to hide Ada's.
    klass.login_shell(EVE, f"cd && nbgrader fetch_assignment {ASSIGNMENT}")
    answer(klass, EVE, "perfect")
    forged, linked, backdated = eve_attacks(klass, due)
    for command in (f"mv '{ada_folder}' '{inbound}/.hidden'", f"rm -rf '{ada_folder}'"):
        done = klass.login_shell(EVE, command, check=False)
        assert done.returncode != 0 and ada_folder.exists(), (command, done.stderr)

    # Collect, from formgrader: Ada's, Bob's and Eve's own are collected; what is not its student's own work
    # is refused and named, and the dialog says so; Eve's counts from when it arrived, after the due date.
    frame = formgrader(teacher)
    text = formgrader_action(teacher, frame, "collect", verdict="error")
    assert f"{forged}: made by {EVE}, not by {ADA}" in text, text
    assert f"{linked}: {NOTEBOOK} is a link" in text, text
    assert f"{EVE}: claims {due - datetime.timedelta(hours=1):%Y-%m-%d %H:%M:%S} UTC but arrived" in text, text
    for student in (ADA, BOB, EVE):
        assert (klass.course / "submitted" / student / ASSIGNMENT / NOTEBOOK).exists(), student
    stamp = (klass.course / "submitted" / EVE / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp > f"{due:%Y-%m-%d %H:%M:%S}", stamp
    refused_folders = [inbound / forged, inbound / linked]
    done = klass.run_as(TEACHER, ["rm", "-rf", *refused_folders], check=False)
    assert done.returncode != 0 and "Permission denied" in done.stderr, done.stderr  # why hnl-remove-refused

    # The second instructor grades over SSH (a login shell: only the class's profile sets it up), with
    # `make grade` in the course folder, backs the gradebook up and exports the grades.
    graded = klass.login_shell(TEACHER2, f"cd ~/{COURSE_ID} && make grade ASSIGNMENT={ASSIGNMENT} JOBS=2 && "
                                         "python -m grader backup && nbgrader export", timeout=900)
    print(graded.stdout[-2000:])
    with Gradebook(f"sqlite:///{klass.course / 'gradebook.db'}", COURSE_ID) as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s) for s in (ADA, BOB, EVE)}
        ada_sub, bob_sub, eve_sub = scores[ADA], scores[BOB], scores[EVE]
        assert ada_sub.score == ada_sub.max_score > 0 and ada_sub.late_submission_penalty == 0, "Ada's, not Eve's"
        assert 0 < bob_sub.score < bob_sub.max_score, "Bob answered part: partial marks before the penalty"
        assert bob_sub.late_submission_penalty == bob_sub.score, "Bob was late: the course's penalty is zero"
        assert eve_sub.score == eve_sub.max_score and eve_sub.late_submission_penalty == eve_sub.score, "backdated"
        expected = {ADA: ada_sub.score, BOB: 0.0, EVE: 0.0}
        total = ada_sub.max_score
        # What each student's feedback on lesson 01 must say: their own score there, after any penalty.
        first = {s: gb.find_submission_notebook(Path(NOTEBOOK).stem, ASSIGNMENT, s) for s in (ADA, BOB)}
        headers = {s: f"{Path(NOTEBOOK).stem} (Score: {nb.score - (nb.late_submission_penalty or 0)} / {nb.max_score})"
                   for s, nb in first.items()}
    assert headers[ADA] != headers[BOB], headers
    report = (klass.course / "reports" / ASSIGNMENT / "class_report.html").read_text()
    assert forged in report and linked in report and f"{EVE}: claims" in report
    assert list((klass.course / "backups").glob("gradebook-*.db")) and (klass.course / "grades.csv").exists()

    # The instructor removes the refused folders from a terminal in their JupyterLab; Ada's own stays.
    status, output = teacher.terminal(f"hnl-remove-refused '{forged}' '{linked}' && "
                                      f"! hnl-remove-refused '{ada_folder.name}'")
    assert status == 0, output[-3000:]
    assert not any(os.path.lexists(p) for p in refused_folders) and ada_folder.exists(), output[-3000:]
    frame = formgrader(teacher)
    assert f"{EVE}: claims" in formgrader_action(teacher, frame, "collect")  # nothing refused now

    # The second instructor releases the feedback; each student fetches their own and sees their score only.
    klass.login_shell(TEACHER2, f"cd ~/{COURSE_ID} && nbgrader release_feedback {ASSIGNMENT}")
    for student in (ada, bob):
        assignments_panel(student)
        submitted = item(student, "submitted")
        submitted.get_by_role("button", name="Fetch Feedback").click()
        feedback = Path(klass.home(student.name)) / COURSE_ID / ASSIGNMENT / "feedback"
        released = len(list((ROOT / "release" / ASSIGNMENT).glob("*.ipynb")))
        for _ in range(100):  # the panel copies the pages one by one: wait for all of them, not the first
            if len(list(feedback.glob("*/*.html"))) >= released:
                break
            time.sleep(0.3)
        pages = sorted(feedback.glob("*/*.html"))
        assert len(pages) == released, (student.name, pages)
        html_path = next(p for p in pages if p.stem == Path(NOTEBOOK).stem).relative_to(klass.home(student.name))
        student.page.goto(f"{student.server}/files/{html_path}")
        shown = student.page.locator("body").inner_text()
        student.shot(f"{student.name}_feedback")
        other = BOB if student.name == ADA else ADA
        assert headers[student.name] in shown and headers[other] not in shown, (headers, shown[:300])
        assert ("Late submission penalty" in shown) == (student.name == BOB), shown[:300]
    refused(klass, BOB, ["ls", klass.exchange / COURSE_ID / "feedback"])

    # Eve leaves the class: taken off the roster, she may not log in any more (nothing restarted).
    klass.apply_roster(CLASS)
    assert hub_login(browser, hub, EVE, klass.passwords[EVE]) == 403
    assert (hub.pid, server_pid(TEACHER)) == (hub_pid, teacher_pid)

    # The hub restarts; every user's server keeps running and is reached through the new hub as before.
    hub.stop()
    hub.start()
    assert server_pid(TEACHER) == teacher_pid
    for _ in range(50):  # the new hub gives the proxy its routes to the running servers
        if teacher.page.evaluate(STATUS_JS, f"{teacher.server}/api/status") == 200:
            break
        time.sleep(0.2)
    assert teacher.page.evaluate(STATUS_JS, f"{teacher.server}/api/status") == 200
    elapsed = time.perf_counter() - started
    print(f"hub cycle: {elapsed:.0f} s; scores {expected} of {total}")
