from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("<slug:org>/", views.endpoint_list, name="endpoint_list"),
    path("endpoints/<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("endpoints/<int:pk>/edit/", views.endpoint_update, name="endpoint_update"),
    path("endpoints/<int:pk>/<str:action>/", views.endpoint_action, name="endpoint_action"),
    path("deliveries/<int:pk>/redeliver/", views.redeliver, name="redeliver"),
]
