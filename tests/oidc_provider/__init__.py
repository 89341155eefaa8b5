"""A small, real OpenID Connect provider (django-oauth-toolkit) that the single sign-on tests run.

It is its own Django project, started in a subprocess on 127.0.0.1 by tests/govtrack/test_sso.py;
its RSA signing key, client and people come from the environment that test sets.
"""
