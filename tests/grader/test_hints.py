"""Hints a student could read before answering are sealed: generated, opaque, opened by their answer alone."""

import pytest

from course.checks import reveal
from grader.hints import LESSONS, SEALED_FILE, sealed_source
from tests.support.course_files import ROOT

ENTRIES = [(seal_id, value, verdict, text) for lesson in LESSONS
           for seal_id, entries in lesson.HINTS.items() for value, verdict, text in entries]


def test_committed_sealed_file_is_what_the_hints_make():
    """Is course/exercises/sealed.py up to date with grader/hints/? (`make release` regenerates it)"""
    assert SEALED_FILE.read_text() == sealed_source(), "stale: run `python -m grader.hints` (make release)"


@pytest.mark.parametrize("seal_id,value,verdict,text", ENTRIES, ids=[f"{e[0]}={e[1]!r:.12}" for e in ENTRIES])
def test_each_hint_opens_with_its_answer_only(seal_id, value, verdict, text):
    assert reveal(seal_id, value) == (verdict, text)
    other = "Z" if isinstance(value, str) else -123.456
    assert reveal(seal_id, other) is None
    others = {sid for sid, *_ in ENTRIES} - {seal_id}
    assert all(reveal(sid, value) in (None, *[(v, t) for s, val, v, t in ENTRIES if s == sid])
               for sid in others)  # a seal id is a salt: the same answer opens nothing of another's


def test_no_hint_text_is_readable_in_what_students_get():
    """No success text or named mistake appears in course/ or release/ as plain text."""
    texts = {text for *_, text in ENTRIES if len(text) >= 12}
    files = [p for folder in ("course", "release") for p in (ROOT / folder).rglob("*")
             if p.is_file() and p.suffix in (".py", ".ipynb", ".md", ".txt", ".json")]
    found = [(str(p.relative_to(ROOT)), t) for p in files for t in texts if t in p.read_text(errors="replace")]
    assert found == []
