"""Risk registers: API endpoints, registered on the /api/v1/ router by govtrack.api.urls."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
