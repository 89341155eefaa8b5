"""/api/v1/: the kernel's endpoints and every installed app's router.

Each app's ``api.py`` exposes a ``router``; it is found by name, as the demo loaders are, so the
kernel imports no domain app.
"""

import importlib
import importlib.util

from django.apps import apps
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from govtrack.api import views

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("check-runs", views.CheckRunViewSet, basename="checkrun")
for config in apps.get_app_configs():
    if config.name == "govtrack" or importlib.util.find_spec(config.name) is None:
        continue
    if importlib.util.find_spec(f"{config.name}.api") is None:
        continue
    app_router = getattr(importlib.import_module(f"{config.name}.api"), "router", None)
    if app_router is not None:
        router.registry.extend(app_router.registry)

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("auth/token/", views.auth_token, name="api-auth-token"),
    path("", include(router.urls)),
]
