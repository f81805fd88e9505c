"""Build the fixture class: ``python -m tests.support.fixture_class DEST [COURSE_DIR]`` (from the repository).

Writes DEST/<student>/<assignment>/<notebook>.ipynb (every assignment of the course) for four students, made at test
time from the course's release/ and source/ notebooks (so they follow the lessons as they change):

  alice  perfect   every answer cell filled with the source solution      -> full marks
  bob    partial   a seeded half of the answer cells filled               -> in between
  carol  blank     the release notebooks untouched                        -> zero
  dave   tampered  perfect answers, but every test cell replaced by `pass`
                   and the quiz letters changed to "Z"                    -> tests restored, quizzes lost

Only notebooks present in both release/ and source/ are used.
"""
import sys
from pathlib import Path

from grader.lessons import ROOT, assignments
from tests.support.samples import build_class

STUDENTS = {"alice": "perfect", "bob": "partial", "carol": "blank", "dave": "tampered"}


def build(dest, course_dir):
    course_dir = Path(course_dir)
    for assignment in assignments(course_dir):
        build_class(dest, course_dir / "release" / assignment, course_dir / "source" / assignment, STUDENTS)
    return Path(dest)


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ROOT)
    print(f"fixture class written to {sys.argv[1]}")
