"""grader/alembic_head.py: new gradebooks get the schema version stock nbgrader would give them."""
import subprocess
import sys

from nbgrader.api import Gradebook
from sqlalchemy import create_engine, text

from grader.alembic_head import alembic_head
from tests.support.course_files import ROOT, env

STOCK = "from nbgrader.api import get_alembic_version; print(get_alembic_version())"


def test_the_head_is_what_alembic_heads_prints():
    stock = subprocess.run([sys.executable, "-c", STOCK], capture_output=True, text=True, env=env(), timeout=120)
    assert stock.returncode == 0, stock.stderr
    assert alembic_head() == stock.stdout.strip() != ""


def test_a_new_gradebook_is_stamped_with_it_and_nbgrader_finds_nothing_to_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    made = subprocess.run([sys.executable, "-c", "from grader.alembic_head import install; install(); "
                                                 f"from nbgrader.api import Gradebook; Gradebook({url!r}).close()"],
                          capture_output=True, text=True, env=env(), cwd=ROOT, timeout=120)
    assert made.returncode == 0, made.stderr
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == alembic_head()
    engine.dispose()
    upgrade = subprocess.run([sys.executable, "-m", "nbgrader", "db", "upgrade"], cwd=tmp_path, capture_output=True,
                             text=True, env=env(), timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    with Gradebook(url) as gb:
        assert gb.students == []
