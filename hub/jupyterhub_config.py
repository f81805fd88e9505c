"""JupyterHub for one class of How Networks Learn: served by `make hub` (hub/deploy.py serve).

Reads the class that `hub/deploy.py setup` wrote (HNL_HUB_STATE/class.json). Swapping in the
university's login or another spawner: README, "Run a class on JupyterHub".
"""
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # traitlets defines __file__ for config files
from deploy import user_environment  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

state = Path(os.environ["HNL_HUB_STATE"])
port = int(os.environ.get("HNL_HUB_PORT", "8000"))
klass = json.loads((state / "class.json").read_text())
env = Path(klass["env"])
roles = {p["username"]: p["role"] for p in klass["people"]}

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
# Stopping the hub stops every user's server it started.
c.JupyterHub.cleanup_servers = True

# Log in with the server's own Unix accounts (PAM); only the class may.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session per server: none is needed, and containers lack one
c.Authenticator.allowed_users = set(roles)
c.Authenticator.admin_users = {user for user, role in roles.items() if role == "instructor"}

# Each user's JupyterLab runs as that user, from the class's environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(env / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120


def role_environment(spawner):
    """The environment of a user's server: the class's Python first, the role's configuration, the exchange."""
    spawner.environment.update(user_environment(klass, roles.get(spawner.user.name, "student")))


c.Spawner.pre_spawn_hook = role_environment
