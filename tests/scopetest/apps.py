from django.apps import AppConfig


class ScopeTestConfig(AppConfig):
    """Models that exist only in the test suite, to prove the kernel's scope declarations."""

    name = "tests.scopetest"
    label = "scopetest"
