#!/usr/bin/env bash
# A class graded on CI's matrix: N shard jobs, then one job that records them all
# (run by .github/workflows/grade-shards.yml and, for 3 shards, by tests/grader/test_shards.py).
#
#   tools/ci_shards.sh plan N                  print the matrix: [1, 2, ..., N]
#   tools/ci_shards.sh grade K/N SUBMISSIONS   grade shard K of N into $BUNDLE (default: the course's
#                                              bundles/<assignment>/shard-K-of-N); never touches the gradebook
#   tools/ci_shards.sh record FOLDER...        merge the bundles found in FOLDER... into the gradebook (its only
#                                              writer), write grades.csv and reports/, check the feedback
# Environment: COURSE_DIR (default: this repository), PYTHON (default: .venv/bin/python, else python3),
#              JOBS (default: all cores), ASSIGNMENT (default: the course's first), DUE (late penalties: every
#              shard needs the same one), SKIP_INVALID=1, HNL_GRADEBOOK_URL (record into PostgreSQL).
# Exit: 0 all good; 1 some submissions could not be graded; 2 bad input, a broken course or refused bundles.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/ci_env.sh"   # REPO, COURSE_DIR, PY
common=(--course-dir "$COURSE_DIR")
[ -n "${ASSIGNMENT:-}" ] && common+=(--assignment "$ASSIGNMENT")

usage() { sed -n '4,9p' "${BASH_SOURCE[0]}" >&2; exit 2; }

case "${1:-}" in
plan)
    n="${2:-}"
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "plan: N must be a whole number >= 1, not '$n'" >&2; exit 2; }
    "$PY" -c 'import json, sys; print(json.dumps(list(range(1, int(sys.argv[1]) + 1))))' "$n"
    ;;
grade)
    [ $# -eq 3 ] || usage
    args=(grade "${common[@]}" --shard "$2" --submissions "$3")
    [ -n "${BUNDLE:-}" ] && args+=(--bundle "$BUNDLE")
    [ -n "${JOBS:-}" ] && args+=(--jobs "$JOBS")
    [ -n "${DUE:-}" ] && args+=(--due "$DUE")
    [ -n "${SKIP_INVALID:-}" ] && [ "$SKIP_INVALID" != 0 ] && args+=(--skip-invalid)
    exec "$PY" -m grader "${args[@]}"
    ;;
record)
    [ $# -ge 2 ] || usage
    shift
    exec "$PY" -m grader record "${common[@]}" "$@"
    ;;
*)
    usage
    ;;
esac
