from django.urls import path

from govtrack import access
from govtrack.viewmixins import HistoryView
from webhooks import views
from webhooks.models import Endpoint

app_name = "webhooks"
urlpatterns = [
    path("<slug:org>/", views.endpoint_list, name="endpoint_list"),
    path("endpoints/<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("endpoints/<int:pk>/edit/", views.endpoint_update, name="endpoint_update"),
    # Before the actions: "history" is not one of them.
    path("endpoints/<int:pk>/history/", HistoryView.as_view(
        model=Endpoint, allowed=lambda user, endpoint: access.can_administer(user, endpoint.organisation)),
        name="endpoint_history"),
    path("endpoints/<int:pk>/<str:action>/", views.endpoint_action, name="endpoint_action"),
    path("deliveries/<int:pk>/redeliver/", views.redeliver, name="redeliver"),
]
