# How Networks Learn: every command a student, instructor or CI needs.
# Set-up is stamp-based: re-running a target skips installs that are already done.

PYTHON ?= python3
# On a class's hub (hub/deploy.py) every server runs from the class's environment, named by HNL_VENV.
VENV   := $(or $(HNL_VENV),$(CURDIR)/.venv)
BIN    := $(VENV)/bin
# nbgrader shells out to `alembic`, so the venv's bin/ must be on PATH, not only its python.
export PATH := $(BIN):$(PATH)

PORT ?= 8888
# Jupyter refuses to start as root (containers, CI) unless told it is deliberate.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# Every folder of source/ is an nbgrader assignment.
ASSIGNMENTS := $(notdir $(wildcard source/*))
# JupyterLab reads settings overrides from the environment: no "get notified about Jupyter news?" pop-up.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: help setup lab test accessibility lint release clean-notebooks grade record grades lesson hub roster
help:
	@echo "make lab      set up .venv and start JupyterLab on the student notebooks"
	@echo "make student  [DEST=dist]  build what a student receives: DEST/how-networks-learn-student/ and its .zip"
	@echo "make test     set up .venv with test tools, lint, and run the whole test suite"
	@echo "make accessibility  only the accessibility audit (axe-core in Chromium): artifacts/accessibility.md"
	@echo "make lint     ruff over the code (rules in pyproject.toml)"
	@echo "make release  regenerate release/ from source/ (nbgrader generate_assignment) and course/exercises/sealed.py"
	@echo "make clean-notebooks  clear outputs and volatile metadata from source/ notebooks"
	@echo "make grade    SUBMISSIONS=<folder|zip> ASSIGNMENT=<id> JOBS=N FORCE=1 SKIP_INVALID=1  autograde (sandboxed), feedback, grades.csv, reports/"
	@echo "              LMS=canvas|moodle|blackboard ROSTER=<csv> DUE=\"2026-11-20 23:59 UTC\"  grade an LMS download as it is"
	@echo "              (LMS_COLUMN=..., WORKSHEET=<moodle worksheet.csv>, LMS_TIMEZONE=Europe/London: docs/grading.md)"
	@echo "              SHARD=K/N BUNDLE=<folder>  grade only shard K of N of the class into a bundle (CI matrix)"
	@echo "make record   BUNDLES=\"<folder> ...\"  merge shard bundles into the gradebook (docs/grading.md)"
	@echo "make grades   LMS=canvas|moodle|blackboard ROSTER=<csv> ASSIGNMENT=<id>  the grade file the LMS imports"
	@echo "make lesson   NAME=10_topic ASSIGNMENT=<id> TITLE=\"...\"  create a new lesson's files (README: Add a lesson)"
	@echo "make hub      HUB_ROSTER=hub/roster.csv HUB_ROOT=/srv/how-networks-learn HUB_PORT=8000  (as root) a class on JupyterHub (README)"
	@echo "make roster   HUB_ROSTER=... HUB_ROOT=...  (as root) apply the edited roster to the running class, no restart"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(LAB_OVERRIDES): tools/lab_overrides.json $(VENV)/.runtime
	install -D -m 644 tools/lab_overrides.json $@

$(VENV)/.test: $(VENV)/.sandbox $(LAB_OVERRIDES) requirements-test.txt tools/install_postgres.sh
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	sh tools/install_browser.sh
	sh tools/install_postgres.sh
	touch $@

# The grading sandbox (bubblewrap) and its kernelspec: needed to grade, not to study.
$(VENV)/.sandbox: $(VENV)/.runtime tools/install_sandbox.sh
	sh tools/install_sandbox.sh
	touch $@

setup: $(VENV)/.runtime $(LAB_OVERRIDES)

lab: setup
	@echo "Starting JupyterLab on release/ -- open the http://127.0.0.1:$(PORT)/lab/tree/...?token=... URL printed below."
	$(BIN)/jupyter lab --no-browser $(ALLOW_ROOT) --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/release

# Tests run in TEST_WORKERS processes (pytest-xdist), each module on one worker and the browser tests
# on one (tests/conftest.py): much of the suite waits on kernels, servers and the browser, so a
# worker more than the cores pays; a fourth did not (a clean clone took 876 s with 4, 877 s with 3:
# the suite is CPU-bound) and only crowds the grading runs' timeouts.
TEST_WORKERS ?= 3
test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Only the accessibility audit (also part of `make test`): axe-core on every release notebook in JupyterLab after
# its cells ran, on the feedback pages and on the class report; heading levels. Report: artifacts/accessibility.md.
accessibility: $(VENV)/.test
	$(BIN)/python -m pytest tests/notebooks/test_headings.py tests/browser/test_accessibility.py \
		"tests/browser/test_browser_lessons.py::test_notebook_runs_with_live_widgets" $(PYTEST_ARGS)

lint: $(VENV)/.test
	$(BIN)/ruff check .

# A class's course folder on the hub has no course/ to seal hints into: its students import the copy in
# the class's environment (hub/deploy.py).
release: setup
	$(BIN)/python tools/clean_notebooks.py source
	$(if $(wildcard course/exercises),$(BIN)/python -m grader.hints)
	for a in $(ASSIGNMENTS); do $(BIN)/nbgrader generate_assignment $$a --force || exit 1; done

# Start a new lesson: its notebook, maths, widget, checks, references, hints and tests (README: Add a lesson).
lesson: setup
	$(BIN)/python tools/new_lesson.py "$(NAME)" --assignment "$(ASSIGNMENT)" --title "$(TITLE)"

clean-notebooks: setup
	$(BIN)/python tools/clean_notebooks.py source

# Grade a class: parallel autograde, safe feedback, grades.csv and reports/<assignment>/class_report.html.
# An LMS download (LMS=canvas|moodle|blackboard, ROSTER=...) also writes grades_<lms>_<assignment>.csv.
LMS_ARGS = $(if $(LMS),--lms "$(LMS)") $(if $(ROSTER),--roster "$(ROSTER)") $(if $(LMS_COLUMN),--lms-column "$(LMS_COLUMN)") \
	$(if $(WORKSHEET),--worksheet "$(WORKSHEET)") $(if $(LMS_TIMEZONE),--lms-timezone "$(LMS_TIMEZONE)")
# SHARD=K/N grades only shard K of N into BUNDLE, never the gradebook; `make record` merges the bundles.
grade: $(VENV)/.sandbox
	$(BIN)/python -m grader grade $(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") $(if $(SUBMISSIONS),--submissions "$(SUBMISSIONS)") $(if $(JOBS),--jobs $(JOBS)) $(if $(filter-out 0,$(FORCE)),--force) $(if $(filter-out 0,$(SKIP_INVALID)),--skip-invalid) $(if $(filter 1,$(NO_SANDBOX)),--no-sandbox) $(if $(DUE),--due "$(DUE)") $(if $(SHARD),--shard "$(SHARD)") $(if $(BUNDLE),--bundle "$(BUNDLE)") $(LMS_ARGS)

# Merge shard bundles into the gradebook (its only writer), then grades.csv, the report, the feedback check.
BUNDLES ?= bundles
record: setup
	$(BIN)/python -m grader record $(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") $(BUNDLES)

# The grade file an LMS imports (Canvas gradebook, Moodle worksheet, Blackboard Grade Centre), from the gradebook.
grades: setup
	$(BIN)/python -m grader grades $(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") $(LMS_ARGS)

# What a student receives (release notebooks, course/, pinned requirements, a student `make lab`):
# no source/, hidden tests, reference answers or grading code. See tools/build_student.py.
DEST ?= dist
.PHONY: student
student: setup
	$(BIN)/python tools/build_student.py $(DEST) --zip

# A class on JupyterHub: users from the roster, the class's environment, exchange and course folder, then
# the hub on http://localhost:$(HUB_PORT)/. As root: it creates Unix users. README: "Run a class on JupyterHub".
HUB_ROSTER ?= hub/roster.csv
HUB_ROOT ?= /srv/how-networks-learn
HUB_PORT ?= 8000
hub: roster
	$(PYTHON) hub/deploy.py serve --root "$(HUB_ROOT)" --port $(HUB_PORT)

# The class as the roster says, applied while the hub serves it (no restart): new people can log in at once,
# people taken off it are disabled.
roster:
	$(PYTHON) hub/deploy.py setup --roster "$(HUB_ROSTER)" --root "$(HUB_ROOT)"
