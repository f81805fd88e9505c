"""JupyterHub for one class of How Networks Learn: served by `make hub` (hub/deploy.py serve).

Reads the class that `hub/deploy.py setup` wrote (HNL_HUB_STATE/class.json). Swapping in the
university's login or another spawner: README, "Run a class on JupyterHub".
"""
import json
import os
import sys
from pathlib import Path

from jupyterhub.auth import PAMAuthenticator

sys.path.insert(0, str(Path(__file__).resolve().parent))  # traitlets defines __file__ for config files
from deploy import INSTRUCTOR_UMASK, user_environment  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

state = Path(os.environ["HNL_HUB_STATE"])
port = int(os.environ.get("HNL_HUB_PORT", "8000"))
klass = json.loads((state / "class.json").read_text())
env = Path(klass["env"])


def the_class():
    """The class as `hub/deploy.py setup` last wrote it: read at every login and server start, so that a
    roster change (`make roster`) takes effect at the next login, without restarting the hub."""
    return json.loads((state / "class.json").read_text())


def role_of(username):
    return {p["username"]: p["role"] for p in the_class()["people"]}.get(username)

# Each user's server on its own origin, <user>.localhost (browsers resolve every *.localhost to this
# machine): one user's page can then never script another's, and an instructor's formgrader may be framed
# by that instructor's own lab without relaxing the frame policy for anyone else (nbgrader #1947).
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.JupyterHub.subdomain_host = os.environ.get("HNL_HUB_PUBLIC_URL", f"http://localhost:{port}")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HNL_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('HNL_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [klass["proxy"]]

# The hub's own state stays in the root-only state folder.
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
# Stopping (or restarting) the hub leaves every user's server running: a restart finds them again.
c.JupyterHub.cleanup_servers = False


class RosterAuthenticator(PAMAuthenticator):
    """Log in with the server's own Unix accounts (PAM); only the people on the class's roster now may.
    (``allowed_users`` would be read once, at start: a student added later would be "not allowed".)"""

    def check_allowed(self, username, authentication=None):
        return role_of(username) is not None


c.JupyterHub.authenticator_class = RosterAuthenticator
c.Authenticator.any_allow_config = True  # check_allowed above is the allow config
c.PAMAuthenticator.open_sessions = False  # no login session per server: none is needed, and containers lack one
# No hub admins: an admin may open and act in any user's server, so an instructor could submit as a student.

# Each user's JupyterLab runs as that user, from the class's environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120


def role_environment(spawner):
    """The environment of a user's server: the class's Python first, the role's configuration, the exchange;
    for instructors a umask that lets their group change what they make (they share the course)."""
    role = role_of(spawner.user.name)
    if role is None:  # taken off the roster while logged in
        raise RuntimeError(f"{spawner.user.name} is not in the class any more")
    spawner.environment.update(user_environment(klass, role))
    umask = INSTRUCTOR_UMASK if role == "instructor" else "022"
    spawner.cmd = ["/bin/sh", "-c", f'umask {umask} && exec "$@"', "sh", str(env / "bin" / "jupyterhub-singleuser")]


c.Spawner.pre_spawn_hook = role_environment
