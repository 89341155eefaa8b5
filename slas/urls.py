from django.urls import path

from govtrack.viewmixins import HistoryView
from slas import views
from slas.models import Agreement

app_name = "slas"
urlpatterns = [
    path("", views.agreement_index, name="agreement_list"),
    path("partnerships/<slug:slug>/", views.partnership_view, name="partnership"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/history/", HistoryView.as_view(model=Agreement), name="agreement_history"),
    path("agreements/<int:pk>/published/", views.agreement_published, name="agreement_published"),
    path("agreements/<int:pk>/lines/new/", views.line_create, name="line_create"),
    path("agreements/<int:pk>/measurements/", views.measurement_grid, name="measurement_grid"),
    path("agreements/<int:pk>/import/", views.measurement_import, name="measurement_import"),
    path("agreements/<int:pk>/do/<slug:action>/", views.agreement_action, name="agreement_action"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("<slug:org>/", views.agreement_list, name="organisation_agreements"),
    path("<slug:org>/new/", views.agreement_create, name="agreement_create"),
    path("<slug:org>/breaches/", views.breach_list, name="breach_list"),
]
