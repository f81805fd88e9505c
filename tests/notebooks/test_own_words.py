"""Is the syllabus taught in our own words? No run of ten words of its prose is copied into a lesson."""
import re

import pytest

from tests.support.course_files import ROOT, notebooks, read

SEED = ROOT.parent / "shared" / "seed" / "how-networks-learn.txt"
RUN = 10  # words in a row; shorter runs are common phrases ("the gradient of the loss with respect to")


def words(text):
    """Lower-case words that contain a letter (numbers and code punctuation do not count as prose)."""
    return [w for w in re.findall(r"[a-z0-9']+", text.lower()) if re.search(r"[a-z]", w)]


def prose(markdown):
    """Markdown without its code: fenced blocks and inline code quote the exercises' code on purpose."""
    return re.sub(r"`[^`]*`", " ", re.sub(r"```.*?```", " ", markdown, flags=re.S))


def runs(text):
    w = words(text)
    return {" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


@pytest.mark.skipif(not SEED.exists(), reason=f"the syllabus is not beside this clone ({SEED})")
@pytest.mark.parametrize("path", notebooks("source"), ids=lambda p: p.stem)
def test_lesson_prose_is_not_pasted_from_the_syllabus(path):
    seed_runs = runs(SEED.read_text())
    copied = {run for cell in read(path).cells if cell.cell_type == "markdown" for run in runs(prose(cell.source))}
    assert copied & seed_runs == set()
