"""A real class on a real JupyterHub: set up by hub/deploy.py as `make hub` does, with Unix users of its own.

These tests need root (they create users, as the hub's set-up does) and Debian's Python 3.11 and
Chromium. Without them they SKIP with the reason; with CI=true they FAIL, so CI cannot go green
without having run them. Every user they create is removed afterwards.
"""
import os
import signal
import urllib.request

import pytest
from lab_server import free_port, not_run, running

from .hubclass import ROOT, HubClass, hub_problem


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


@pytest.fixture(scope="module")
def hub_server(hub_class):
    """`make hub` for the test's class, on free ports; afterwards the hub is stopped with every user's server."""
    port = free_port()
    env = dict(os.environ, HNL_HUB_API_PORT=str(free_port()), HNL_HUB_PROXY_API_PORT=str(free_port()))
    log = hub_class.root / "hub.log"
    command = ["make", "--no-print-directory", "hub", f"HUB_ROSTER={hub_class.roster}", f"HUB_ROOT={hub_class.root}",
               f"HUB_PORT={port}"]
    with running(command, cwd=ROOT, env=env, log_path=log, seconds=300,
                 answers=lambda: hub_answers(f"http://127.0.0.1:{port}/hub/api")) as proc:
        yield {"port": port, "base": f"http://localhost:{port}", "log": log}
        # make runs the hub as a child: stop the hub itself (it stops the users' servers and the proxy).
        pid = int((hub_class.root / "state" / "jupyterhub.pid").read_text())
        os.kill(pid, signal.SIGTERM)
        proc.wait(timeout=60)
