from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard_home, name="index"),
    path("partnerships/<slug:slug>/dashboard/", views.partnership_dashboard, name="partnership_dashboard"),
    path("packs/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("packs/<int:pk>/download/", views.pack_download, name="pack_download"),
    path("packs/<int:pk>/<slug:action>/", views.pack_action, name="pack_action"),
    path("<slug:org>/packs/", views.pack_list, name="pack_list"),
    path("<slug:org>/dashboard/", views.organisation_dashboard, name="dashboard"),
    path("<slug:org>/risks/", views.risk_list, name="risk_list"),
    path("<slug:org>/records/<slug:section>/", views.records, name="records"),
    path("<slug:org>/governance-gaps/", views.governance_gaps, name="governance_gaps"),
]
