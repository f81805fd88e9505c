"""A real class on a real JupyterHub: set up by hub/deploy.py as `make hub` does, with Unix users of its own.

These tests need root (they create users, as the hub's set-up does) and Debian's Python 3.11 and
Chromium. Without them they SKIP with the reason; with CI=true they FAIL, so CI cannot go green
without having run them. Every user they create is removed afterwards.
"""
import contextlib
import os
import signal
import urllib.request

import pytest

from tests.support.lab_server import free_port, not_run, running

from .hubclass import HubClass, hub_problem


@pytest.fixture(scope="module")
def can_run_hub():
    problem = hub_problem()
    if problem:
        not_run("HUB", problem)


@pytest.fixture(scope="module")
def hub_class_factory(can_run_hub):
    made = []

    def make(people):
        klass = HubClass(people)
        made.append(klass)
        return klass.setup()

    yield make
    for klass in made:
        klass.remove()


def hub_answers(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status == 200


class Hub:
    """`make hub` for a test's class, on free ports, run from the class's clone."""

    def __init__(self, klass):
        self.klass, self.port, self.starts = klass, free_port(), 0
        self.base = f"http://localhost:{self.port}"
        self.env = dict(os.environ, HNL_HUB_API_PORT=str(free_port()), HNL_HUB_PROXY_API_PORT=str(free_port()))
        self.command = ["make", "--no-print-directory", "hub", f"HUB_ROSTER={klass.roster}", f"HUB_ROOT={klass.root}",
                        f"HUB_PORT={self.port}"]

    @property
    def pid(self):
        return int((self.klass.root / "state" / "jupyterhub.pid").read_text())

    def start(self):
        self.starts += 1
        self.log = self.klass.root / f"hub-{self.starts}.log"
        self.stack = contextlib.ExitStack()
        self.proc = self.stack.enter_context(running(
            self.command, cwd=self.klass.repo, env=self.env, log_path=self.log, seconds=300,
            answers=lambda: hub_answers(f"http://127.0.0.1:{self.port}/hub/api")))

    def stop(self):
        """Stop the hub as Ctrl-C would (make runs it as a child); the users' servers keep running."""
        os.kill(self.pid, signal.SIGTERM)
        self.proc.wait(timeout=60)
        self.stack.close()


@pytest.fixture(scope="module")
def hub_server(hub_class):
    """`make hub` for the test's class; stopped afterwards (the class's removal stops the users' servers)."""
    hub = Hub(hub_class)
    hub.start()
    yield hub
    hub.stop()
