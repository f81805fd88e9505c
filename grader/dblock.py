"""Locks that hold across machines, for recorders sharing one PostgreSQL gradebook.

nbgrader's ``Gradebook`` commits after every ``update_or_create_*`` call, so one student's record is
several transactions: two recorders writing the same student at once could interleave them and
leave a submission half from each. A PostgreSQL advisory lock per student (and one for the course's
tables and assignment) makes them take turns, from any number of machines. SQLite gradebooks live
on one machine and are already one writer at a time (``Course.lock``): there it is a no-op.
"""
import contextlib
import hashlib


def _key(name):
    """A signed 64-bit key for ``pg_advisory_lock`` from a text name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def held(engine, name):
    """Hold the advisory lock ``name`` on a connection of its own from ``engine`` (SQLAlchemy)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    from sqlalchemy import text
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _key(name)})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _key(name)})
            conn.commit()


@contextlib.contextmanager
def held_at(db_url, name):
    """``held`` for a database named by URL, on a connection opened and closed for it (none for SQLite:
    creating an engine connects to nothing)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with held(engine, name):
            yield
    finally:
        engine.dispose()
