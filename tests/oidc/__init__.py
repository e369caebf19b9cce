"""A real OpenID Connect provider for the single sign-on tests, on 127.0.0.1 only.

django-oauth-toolkit's OIDC mode (a maintained, widely used provider, installed by `pip install
'.[dev]'` like every other test dependency) in a small Django project of its own, run in a subprocess
by `serve.py`: the tests drive the real redirect flow against it instead of the internet.
"""
