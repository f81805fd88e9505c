#!/usr/bin/env bash
# CI grading of How Networks Learn (run by .github/workflows/autograde.yml and by the test suite).
#
#   tools/ci_grade.sh [SUBMISSIONS]     SUBMISSIONS: folder or LMS zip (see docs/grading.md);
#                                       "fixture" (or nothing, when the course has no submitted/)
#                                       grades the fixture class built from release/ and source/.
# Environment: COURSE_DIR (default: this repository), JOBS (default: all cores), FORCE=1,
#              PYTHON (default: .venv/bin/python, else python3),
#              ASSIGNMENT (default: every assignment for the fixture class, else the course's first).
# Steps: 1. every assignment of the course must grade right (source full marks, release zero, release/
#        up to date); 2. grade the submissions (grades.csv, feedback/, reports/<assignment>/);
#        3. no hidden test in any feedback.
# Exit: 0 all good; 1 some submissions could not be graded; 2 bad input or a broken course.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/ci_env.sh"   # REPO, COURSE_DIR, PY
SUBMISSIONS="${1:-${SUBMISSIONS:-}}"
jobs=()
[ -n "${JOBS:-}" ] && jobs=(--jobs "$JOBS")

step() { printf '\n== %s\n' "$*" >&2; }

step "1/3 course check: source scores full marks, release scores zero"
"$PY" -m grader check --course-dir "$COURSE_DIR" "${jobs[@]}" || exit $?

assignments=("${ASSIGNMENT:-}")
if [ "$SUBMISSIONS" = "fixture" ] || { [ -z "$SUBMISSIONS" ] && [ ! -d "$COURSE_DIR/submitted" ]; }; then
    SUBMISSIONS="$(mktemp -d)/class"
    course="$(cd "$COURSE_DIR" && pwd)"
    (cd "$REPO" && "$PY" -m tests.support.fixture_class "$SUBMISSIONS" "$course") || exit 2
    [ -z "${ASSIGNMENT:-}" ] && mapfile -t assignments < <(cd "$REPO" && "$PY" -c \
        'import sys; from grader.lessons import assignments; print(*assignments(sys.argv[1]), sep="\n")' "$COURSE_DIR")
fi

graded=0
for assignment in "${assignments[@]}"; do
    step "2/3 grade ${assignment:-the first assignment} from ${SUBMISSIONS:-$COURSE_DIR/submitted}"
    args=(grade --course-dir "$COURSE_DIR" "${jobs[@]}")
    [ -n "$assignment" ] && args+=(--assignment "$assignment")
    [ -n "$SUBMISSIONS" ] && args+=(--submissions "$SUBMISSIONS")
    [ -n "${FORCE:-}" ] && [ "${FORCE}" != 0 ] && args+=(--force)
    "$PY" -m grader "${args[@]}"
    code=$?
    [ "$code" -ge 2 ] && exit "$code"
    [ "$code" -gt "$graded" ] && graded=$code
done

step "3/3 feedback shows no hidden test code"
"$PY" -m grader verify-feedback --course-dir "$COURSE_DIR" || exit $?
exit "$graded"
