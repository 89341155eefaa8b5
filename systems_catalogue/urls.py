from django.urls import path

from govtrack.viewmixins import HistoryView, RestoreView
from systems_catalogue import views
from systems_catalogue.models import System

app_name = "systems_catalogue"
urlpatterns = [
    path("", views.catalogue_home, name="index"),
    path("import-columns/", views.import_columns, name="import_columns"),
    # A record's pages: the record names its organisation.
    path("<int:pk>/", views.system_detail, name="system_detail"),
    path("<int:pk>/edit/", views.system_update, name="system_update"),
    path("<int:pk>/history/", HistoryView.as_view(model=System, related=views.system_trail), name="system_history"),
    path("<int:pk>/archive/", views.SystemArchiveView.as_view(), name="system_archive"),
    path("<int:pk>/restore/", RestoreView.as_view(model=System), name="system_restore"),
    path("<int:system_pk>/contracts/new/", views.contract_create, name="contract_create"),
    path("<int:system_pk>/contracts/<int:pk>/edit/", views.contract_update, name="contract_update"),
    path("contracts/<int:pk>/archive/", views.ContractArchiveView.as_view(), name="contract_archive"),
    path("<int:system_pk>/comments/new/", views.comment_create, name="comment_create"),
    path("<int:system_pk>/integrations/new/", views.integration_create, name="integration_create"),
    path("suppliers/<int:pk>/merge/", views.supplier_merge, name="supplier_merge"),
    # An organisation's catalogue: the organisation is in the address.
    path("<slug:org>/", views.system_list, name="system_list"),
    path("<slug:org>/new/", views.system_create, name="system_create"),
    path("<slug:org>/suppliers/", views.supplier_list, name="supplier_list"),
    path("<slug:org>/suppliers/new/", views.supplier_create, name="supplier_create"),
    path("<slug:org>/completeness/", views.estate, name="estate"),
    path("<slug:org>/missing/", views.missing_list, name="missing_list"),
    path("<slug:org>/rationalisation/", views.rationalisation, name="rationalisation"),
    path("<slug:org>/renewals/", views.renewals, name="renewals"),
    path("<slug:org>/reviews/", views.review_list, name="review_list"),
    path("<slug:org>/settings/", views.catalogue_settings, name="settings"),
]
