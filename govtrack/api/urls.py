"""/api/v1/: the kernel's endpoints and every domain app's router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from govtrack.api import views
from proposals.api import router as proposals_router
from registers.api import router as registers_router
from slas.api import router as slas_router
from systems_catalogue.api import router as systems_router

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
for app_router in (systems_router, registers_router, slas_router, proposals_router):
    router.registry.extend(app_router.registry)

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("", include(router.urls)),
]
