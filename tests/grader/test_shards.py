"""Grading past one machine: shards on CI's matrix, bundles, one recorder; SQLite and PostgreSQL gradebooks.

One class (nine students, two notebooks of the first assignment) is graded twice, side by side: by a
one-machine `python -m grader grade` (the reference) and by tools/ci_shards.sh, the script CI's
matrix jobs run, as three concurrent shard jobs, each in its own checkout of the course, as on CI.
The tests then record the bundles (the same script, as CI's record job does) into fresh course
folders, on SQLite and on a real PostgreSQL server (tests/support/postgres.py), and compare every grade.
"""
import csv
import json
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
import yaml

from grader.shards import shard_of
from tests.support.compare import differences, gradebook_rows, make_course_copy, nbgrader_env
from tests.support.course_files import ASSIGNMENTS, ROOT
from tests.support.samples import build_class, mixed_class

SCRIPT = ROOT / "tools" / "ci_shards.sh"
COURSE_ID = "how-networks-learn"
# The newest assignment (the pipeline's own tests grade the first): sharding is not tied to one.
ASSIGNMENT = ASSIGNMENTS[-1]
NOTEBOOKS = sorted({p.stem for p in (ROOT / "release" / ASSIGNMENT).glob("*.ipynb")}
                   & {p.stem for p in (ROOT / "source" / ASSIGNMENT).glob("*.ipynb")})[:2]
CLASS = mixed_class(9)
SHARDS = 3


def env_for(course, **extra):
    return dict(nbgrader_env(), COURSE_DIR=str(course), PYTHON=sys.executable, JOBS="1", **extra)


def ci(course, *args, **extra):
    """Start ``tools/ci_shards.sh ARGS`` for ``course``; returns the Popen (stdout+stderr in .log)."""
    return subprocess.Popen(["bash", str(SCRIPT), *args], env=env_for(course, **extra), cwd=course,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(proc, timeout=900):
    out, _ = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, "")


def run_ci(course, *args, **extra):
    return finish(ci(course, *args, **extra))


def recorder(course, *bundles, url):
    """Start CI's record step into the PostgreSQL gradebook ``url``, without the class report (its figures
    cost seconds, and the tests that read the report record with it)."""
    return ci(course, "record", "--no-report", *map(str, bundles), HNL_GRADEBOOK_URL=url)


def rows(db_url):
    return gradebook_rows(db_url, COURSE_ID, ASSIGNMENT)


def sqlite_url(course):
    return f"sqlite:///{course / 'gradebook.db'}"


def read_csv(path):
    with open(path, newline="") as handle:
        return sorted(tuple(sorted(r.items())) for r in csv.DictReader(handle))


def table_dump(db_url):
    """Every row of every table of the gradebook, ids and all: to show a second recording changed nothing."""
    from sqlalchemy import MetaData, create_engine, select
    engine = create_engine(db_url)
    try:
        meta = MetaData()
        meta.reflect(bind=engine)
        with engine.connect() as conn:
            return {name: sorted(map(repr, conn.execute(select(table)).all()))
                    for name, table in meta.tables.items()}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shards")
    reference = make_course_copy(ROOT, tmp / "one-machine", ASSIGNMENT, NOTEBOOKS)
    submissions = build_class(tmp / "class", reference / "release" / ASSIGNMENT, reference / "source" / ASSIGNMENT,
                              CLASS)
    one = subprocess.Popen([sys.executable, "-m", "grader", "grade", "--course-dir", str(reference),
                            "--submissions", str(submissions), "--jobs", "1"],
                           env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    checkouts = [make_course_copy(ROOT, tmp / f"checkout-{k}", ASSIGNMENT, NOTEBOOKS) for k in range(1, SHARDS + 1)]
    plan = run_ci(checkouts[0], "plan", str(SHARDS))
    assert plan.returncode == 0, plan.stdout
    jobs = json.loads(plan.stdout)
    shards = {k: ci(checkouts[k - 1], "grade", f"{k}/{SHARDS}", str(submissions)) for k in jobs}
    shards = {k: finish(proc) for k, proc in shards.items()}
    one = finish(one)
    incoming = tmp / "incoming-bundles"  # what CI's record job downloads: one folder per shard's artefact
    for k in jobs:
        shutil.copytree(checkouts[k - 1] / "bundles", incoming / f"bundle-{k}-of-{SHARDS}")
    return {"tmp": tmp, "reference": reference, "one": one, "shards": shards, "checkouts": checkouts,
            "incoming": incoming, "submissions": submissions, "plan": jobs}


def bundle_dirs(graded):
    return sorted(p.parent for p in graded["incoming"].rglob("bundle.json"))


def manifest(path):
    return json.loads((path / "bundle.json").read_text())


def fresh_course(graded, name):
    return make_course_copy(ROOT, graded["tmp"] / f"{name}-{time.monotonic_ns()}", ASSIGNMENT, NOTEBOOKS)


def test_one_machine_and_three_shards_grade_the_class(graded):
    assert graded["plan"] == [1, 2, 3]
    assert graded["one"].returncode == 0, graded["one"].stdout[-3000:]
    for k, done in graded["shards"].items():
        assert done.returncode == 0, done.stdout[-3000:]
        assert f"shard {k}/{SHARDS}:" in done.stdout and "wrote bundle" in done.stdout
        assert "Traceback" not in done.stdout
    for checkout in graded["checkouts"]:  # a shard never touches a gradebook, nor the course's folders
        assert not (checkout / "gradebook.db").exists()
        assert not (checkout / "submitted").exists() and not (checkout / "autograded").exists()


def test_shards_split_the_class_by_student_id(graded):
    owners = {}
    for path in bundle_dirs(graded):
        data = manifest(path)
        k, n = data["shard"]
        assert n == SHARDS and data["assignment"] == ASSIGNMENT
        for sid in data["results"]:
            assert sid not in owners, f"{sid} graded by two shards"
            assert shard_of(sid, SHARDS) == k
            owners[sid] = k
            assert (path / "autograded" / sid / ASSIGNMENT / f"{NOTEBOOKS[0]}.ipynb").is_file()
            assert (path / "feedback" / sid / ASSIGNMENT / f"{NOTEBOOKS[0]}.html").is_file()
    assert set(owners) == set(CLASS)
    assert len(set(owners.values())) == SHARDS  # nine students fill all three shards


def test_a_rerun_with_new_students_keeps_every_shard(graded):
    """Shard 2 again, after three students joined: its old students stay, only newcomers are added,
    and the bundle is replaced where it was."""
    tmp, checkout = graded["tmp"], graded["checkouts"][1]
    bigger = tmp / "class-bigger"
    shutil.copytree(graded["submissions"], bigger)
    build_class(bigger, checkout / "release" / ASSIGNMENT, checkout / "source" / ASSIGNMENT,
                {f"late{i}": "perfect" for i in range(3)})
    bundle = tmp / "rerun" / "shard-2"
    shutil.copytree(checkout / "bundles" / ASSIGNMENT / f"shard-2-of-{SHARDS}", bundle)
    before = set(manifest(bundle)["results"])
    again = run_ci(checkout, "grade", f"2/{SHARDS}", str(bigger), BUNDLE=str(bundle))
    assert again.returncode == 0, again.stdout[-3000:]
    after = set(manifest(bundle)["results"])
    assert before == {sid for sid in CLASS if shard_of(sid, SHARDS) == 2}
    assert before <= after and after - before <= {f"late{i}" for i in range(3)}
    assert not [p for p in bundle.parent.iterdir() if p.name != "shard-2"]  # no half-written leftovers


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def recorded(request, graded):
    """The three bundles recorded by CI's record step into a fresh course: its gradebook.db, or a database of
    the throwaway PostgreSQL server named by HNL_GRADEBOOK_URL."""
    course = fresh_course(graded, f"recorded-{request.param}")
    env, server, name = {}, None, f"hnl_recorded_{request.param}"
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres")
        env["HNL_GRADEBOOK_URL"] = server.create_database(name)
    done = run_ci(course, "record", str(graded["incoming"]), **env)
    return {"course": course, "done": done, "env": env, "server": server, "name": name,
            "url": env.get("HNL_GRADEBOOK_URL") or sqlite_url(course)}


def test_recorded_shards_equal_the_one_machine_run(graded, recorded):
    course, done = recorded["course"], recorded["done"]
    assert done.returncode == 0, done.stdout[-3000:]
    assert f"recording {len(CLASS)} students from {SHARDS} bundle(s)" in done.stdout
    ours, ours_totals = rows(recorded["url"])
    theirs, their_totals = rows(sqlite_url(graded["reference"]))
    assert set(their_totals) == set(CLASS)
    assert differences(ours, theirs) == []
    assert ours_totals == their_totals
    assert read_csv(course / "grades.csv") == read_csv(graded["reference"] / "grades.csv")
    for sid in CLASS:
        for nb in NOTEBOOKS:
            assert (course / "autograded" / sid / ASSIGNMENT / f"{nb}.ipynb").is_file()
            assert (course / "feedback" / sid / ASSIGNMENT / f"{nb}.html").is_file()
    assert "no hidden test code" in done.stdout
    assert (course / "reports" / ASSIGNMENT / "class_report.html").is_file()
    if recorded["server"] is not None:
        assert not (course / "gradebook.db").exists()  # it went to the server
        assert recorded["server"].connections(recorded["name"]) == 0  # every connection closed


def test_recording_the_bundles_again_changes_nothing(graded, recorded):
    assert recorded["done"].returncode == 0, recorded["done"].stdout[-3000:]
    once = table_dump(recorded["url"])
    assert once["grade"] and once["submitted_assignment"]
    again = run_ci(recorded["course"], "record", "--no-report", *map(str, bundle_dirs(graded)), **recorded["env"])
    assert again.returncode == 0, again.stdout[-3000:]
    assert table_dump(recorded["url"]) == once


def test_a_bundle_from_another_version_of_the_course_is_refused(graded):
    course = fresh_course(graded, "changed")
    path = course / "source" / ASSIGNMENT / f"{NOTEBOOKS[0]}.ipynb"
    nb = nbformat.read(path, 4)
    test_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    test_cell.source += "\nassert True  # a test changed after the shards graded"
    nbformat.write(nb, path)
    done = run_ci(course, "record", str(graded["incoming"]))
    assert done.returncode == 2, done.stdout
    assert "was graded from another version of the course" in done.stdout
    assert "nothing was recorded" in done.stdout
    assert not (course / "gradebook.db").exists() and not (course / "autograded").exists()


def test_unfinished_or_overlapping_bundles_are_refused(graded, tmp_path):
    course = fresh_course(graded, "refused")
    unfinished = tmp_path / "unfinished"
    shutil.copytree(bundle_dirs(graded)[0], unfinished)
    (unfinished / "bundle.json").unlink()
    done = run_ci(course, "record", str(unfinished))
    assert done.returncode == 2 and "holds no grading bundle" in done.stdout, done.stdout
    twin = tmp_path / "twin"
    shutil.copytree(bundle_dirs(graded)[0], twin)
    done = run_ci(course, "record", str(graded["incoming"]), str(twin))
    assert done.returncode == 2 and "is in two bundles" in done.stdout, done.stdout
    assert not (course / "gradebook.db").exists()


def test_a_bundle_graded_without_the_gradebooks_due_date_is_refused(graded):
    course = fresh_course(graded, "due")
    added = subprocess.run([sys.executable, "-m", "nbgrader", "db", "assignment", "add", ASSIGNMENT,
                            "--duedate=2026-11-20 23:59:00 UTC"], cwd=course, env=nbgrader_env(),
                           capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    done = run_ci(course, "record", str(graded["incoming"]))
    assert done.returncode == 2, done.stdout
    assert "graded with due date none, but the gradebook's is 2026-11-20 23:59:00 UTC" in done.stdout
    _, totals = rows(sqlite_url(course))
    assert totals == {}


def test_the_workflow_runs_these_scripts():
    """The copyable workflow's steps are the script the tests above run (plan, grade K/N, record)."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "grade-shards.yml").read_text())
    jobs = flow["jobs"]
    runs = {name: " ".join(step.get("run", "") for step in job["steps"]) for name, job in jobs.items()}
    assert "tools/ci_shards.sh plan" in runs["plan"]
    assert jobs["grade"]["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    assert 'tools/ci_shards.sh grade "${{ matrix.shard }}/${{ inputs.shards }}"' in runs["grade"]
    assert "tools/ci_shards.sh record" in runs["record"] and jobs["record"]["needs"] == "grade"
    uploads = [s for s in jobs["grade"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    downloads = [s for s in jobs["record"]["steps"] if s.get("uses", "").startswith("actions/download-artifact")]
    assert uploads[0]["with"]["path"] == "bundles/" and downloads[0]["with"]["pattern"] == "bundle-*"


# --- PostgreSQL: formgrader, stock export, and recorders at the same time -------------------------------

@pytest.fixture(scope="module")
def on_postgres(graded, postgres):
    """The bundles recorded into a PostgreSQL gradebook: a course whose formgrader the tests open."""
    url = postgres.create_database("hnl_formgrader")
    course = fresh_course(graded, "postgres")
    done = finish(recorder(course, graded["incoming"], url=url))
    assert done.returncode == 0, done.stdout[-3000:]
    return {"course": course, "url": url, "name": "hnl_formgrader", "server": postgres}


def test_stock_export_reads_the_postgresql_gradebook(graded, on_postgres):
    course = on_postgres["course"]
    done = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", "stock.csv"], cwd=course,
                          env=dict(nbgrader_env(), HNL_GRADEBOOK_URL=on_postgres["url"]),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert read_csv(course / "stock.csv") == read_csv(graded["reference"] / "grades.csv")
    assert on_postgres["server"].connections(on_postgres["name"]) == 0


def test_formgrader_reads_and_writes_the_postgresql_gradebook(graded, on_postgres, tmp_path):
    """A real Jupyter server's formgrader on the shared gradebook: the class's scores, and a manual
    score it saves, which the next recording of the same bundles leaves alone."""
    from tests.support.lab_server import api, free_port, local_server_flags, running
    course, url, server = on_postgres["course"], on_postgres["url"], on_postgres["server"]
    port, token = free_port(), "formgrader-on-postgres"
    jupyter = {"base": f"http://127.0.0.1:{port}/formgrader/api", "token": token}

    def formgrader(path, body=None):
        return api(jupyter, "GET" if body is None else "PUT", f"/{path}", body, timeout=30)

    cmd = [sys.executable, "-m", "jupyter", "server", *local_server_flags(port, token, course)]
    env = dict(nbgrader_env(), HNL_GRADEBOOK_URL=url)
    _, reference = rows(sqlite_url(graded["reference"]))
    with running(cmd, cwd=course, env=env, log_path=tmp_path / "server.log",
                 answers=lambda: formgrader("status")["status"], seconds=90):
        scores = {s["student"]: (s["score"], s["max_score"]) for s in formgrader(f"submissions/{ASSIGNMENT}")}
        assert scores == reference
        notebooks = formgrader(f"submitted_notebooks/{ASSIGNMENT}/{NOTEBOOKS[0]}")
        carol = next(nb for nb in notebooks if nb["student"] == "student004")  # a blank submission
        grade = next(g for g in formgrader(f"grades?submission_id={carol['id']}") if g["max_score"])
        saved = formgrader(f"grade/{grade['id']}", {"manual_score": grade["max_score"]})
        assert saved["manual_score"] == grade["max_score"]
    assert server.connections(on_postgres["name"]) == 0  # formgrader's connections went with it
    again = finish(recorder(course, graded["incoming"], url=url))
    assert again.returncode == 0, again.stdout[-3000:]
    from nbgrader.api import Gradebook
    with Gradebook(url, COURSE_ID) as gb:
        kept = gb.find_grade(grade["name"], NOTEBOOKS[0], ASSIGNMENT, "student004")
        assert kept.manual_score == grade["max_score"] and kept.auto_score == grade["auto_score"]


def expected_rows(bundles_dir):
    """{student: that student's gradebook rows (grader.compare.gradebook_rows' keys)} as the bundles say."""
    expected = {}
    for path in bundles_dir.rglob("bundle.json"):
        for sid, entry in json.loads(path.read_text())["results"].items():
            mine = expected.setdefault(sid, {})
            for nb, rec in entry["record"]["notebooks"].items():
                mine[(sid, nb, "late_penalty")] = rec["late_submission_penalty"]
                mine.update({(sid, nb, g): tuple(v) for g, v in rec["grades"].items()})
                mine.update({(sid, nb, f"comment:{c}"): text for c, text in rec["comments"].items()})
    return expected


def test_two_recorders_of_different_students_at_once_lose_nothing(graded, postgres):
    """Two instructors' machines record different shards into one PostgreSQL gradebook at the same time
    (on an empty database: its tables and assignment are made once, under a lock)."""
    url = postgres.create_database("hnl_two_recorders")
    bundles = bundle_dirs(graded)
    started = [recorder(fresh_course(graded, "instructor-a"), bundles[0], url=url),
               recorder(fresh_course(graded, "instructor-b"), *bundles[1:], url=url)]
    for done in map(finish, started):
        assert done.returncode == 0, done.stdout[-3000:]
    ours, totals = rows(url)
    theirs, their_totals = rows(sqlite_url(graded["reference"]))
    assert differences(ours, theirs) == [] and totals == their_totals
    assert postgres.connections("hnl_two_recorders") == 0


def test_two_recorders_of_the_same_students_leave_one_consistent_result(graded, postgres, tmp_path):
    """The same nine students recorded at once from two gradings that differ in every student (the second
    a copy of the bundles with every score 0 and every comment changed): each student ends up wholly as
    one grading or the other, never a mix."""
    variant = tmp_path / "variant"
    shutil.copytree(graded["incoming"], variant)
    for path in variant.rglob("bundle.json"):
        data = json.loads(path.read_text())
        for entry in data["results"].values():
            for rec in entry["record"]["notebooks"].values():
                rec["grades"] = {g: [0.0, manual] for g, (_, manual) in rec["grades"].items()}
                rec["comments"] = {c: "graded a second time" for c in rec["comments"]}
        path.write_text(json.dumps(data))
    first, second = expected_rows(graded["incoming"]), expected_rows(variant)
    assert all(first[sid] != second[sid] for sid in CLASS)
    url = postgres.create_database("hnl_same_students")
    started = [recorder(fresh_course(graded, "same-a"), graded["incoming"], url=url),
               recorder(fresh_course(graded, "same-b"),  # the other way round: they meet in shard 2
                        *sorted((p.parent for p in variant.rglob("bundle.json")), reverse=True), url=url)]
    for done in map(finish, started):
        assert done.returncode == 0, done.stdout[-3000:]
    ours, _ = rows(url)
    for sid in CLASS:
        mine = {key: value for key, value in ours.items() if key[0] == sid}
        assert mine in (first[sid], second[sid]), f"{sid} is a mix of both gradings"


def test_a_recorder_waits_while_another_holds_a_student(graded, postgres):
    """The per-student lock is real: while it is held elsewhere, a recorder of that student waits."""
    from types import SimpleNamespace

    from sqlalchemy import create_engine

    from grader.dblock import held
    from grader.recorder import student_lock
    url = postgres.create_database("hnl_lock")
    bundle = bundle_dirs(graded)[0]
    first = sorted(manifest(bundle)["results"])[0]  # the recorder's first student
    engine = create_engine(url)
    try:
        with held(engine, student_lock(SimpleNamespace(course_id=COURSE_ID, assignment=ASSIGNMENT), first)):
            proc = recorder(fresh_course(graded, "waiting"), bundle, url=url)
            for line in proc.stdout:
                if line.startswith("recording "):
                    break
            time.sleep(3)
            assert proc.poll() is None, "the recorder did not wait for the lock"
            assert first not in rows(url)[1]
        done = finish(proc)
    finally:
        engine.dispose()
    assert done.returncode == 0, done.stdout[-3000:]
    assert first in rows(url)[1]
