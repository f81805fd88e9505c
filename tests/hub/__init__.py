"""The class on JupyterHub (hub/): set up, served and used in a browser as `make hub` does."""
