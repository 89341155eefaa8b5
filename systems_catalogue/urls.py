from django.urls import path  # noqa: F401

app_name = "systems_catalogue"
urlpatterns: list = []
