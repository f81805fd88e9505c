# Sourced by the CI grading scripts (tools/ci_grade.sh, tools/ci_shards.sh): where the course and the
# Python to grade with are. COURSE_DIR defaults to this repository; PYTHON to .venv/bin/python, else python3.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COURSE_DIR="${COURSE_DIR:-$REPO}"
PY="${PYTHON:-$REPO/.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
export PATH="$(dirname "$PY"):$PATH"   # nbgrader shells out to alembic
