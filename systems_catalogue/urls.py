from django.urls import path

from systems_catalogue import views

app_name = "systems_catalogue"
urlpatterns = [
    path("", views.SystemListView.as_view(), name="system_list"),
    path("new/", views.SystemCreateView.as_view(), name="system_create"),
    path("<int:pk>/", views.SystemDetailView.as_view(), name="system_detail"),
    path("<int:pk>/edit/", views.SystemUpdateView.as_view(), name="system_update"),
    path("<int:pk>/archive/", views.SystemArchiveView.as_view(), name="system_archive"),
    path("<int:system_pk>/contracts/new/", views.ContractCreateView.as_view(), name="contract_create"),
    path("<int:system_pk>/contracts/<int:pk>/edit/", views.ContractUpdateView.as_view(), name="contract_update"),
    path("contracts/<int:pk>/archive/", views.ContractArchiveView.as_view(), name="contract_archive"),
    path("<int:system_pk>/comments/new/", views.OwnerCommentCreateView.as_view(), name="comment_create"),
    path("<int:system_pk>/integrations/new/", views.IntegrationCreateView.as_view(), name="integration_create"),
    path("suppliers/", views.SupplierListView.as_view(), name="supplier_list"),
    path("suppliers/new/", views.SupplierCreateView.as_view(), name="supplier_create"),
    path("import-columns/", views.import_columns, name="import_columns"),
    path("completeness/", views.estate, name="estate"),
    path("missing/", views.MissingListView.as_view(), name="missing_list"),
    path("rationalisation/", views.rationalisation, name="rationalisation"),
    path("renewals/", views.renewals, name="renewals"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("settings/", views.catalogue_settings, name="settings"),
]
