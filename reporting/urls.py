from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("<slug:org>/governance-gaps/", views.governance_gaps, name="governance_gaps"),
]
