from django.urls import path
from django.views.generic import RedirectView

from govtrack.viewmixins import HistoryView, RestoreView
from registers import views
from registers.models import Register, Risk

app_name = "registers"
urlpatterns = [
    path("", views.register_list, name="register_list"),
    path("escalations/", views.escalation_inbox, name="escalation_inbox"),
    path("escalations/<int:pk>/<slug:decision>/", views.escalation_decide, name="escalation_decide"),
    path("risks/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/history/", HistoryView.as_view(model=Risk), name="risk_history"),
    path("risks/<int:pk>/review/", views.risk_review, name="risk_review"),
    path("risks/<int:pk>/escalate/", views.risk_escalate, name="risk_escalate"),
    path("risks/<int:pk>/archive/", views.RiskArchiveView.as_view(), name="risk_archive"),
    path("risks/<int:pk>/restore/", RestoreView.as_view(model=Risk), name="risk_restore"),
    path("risks/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("<slug:org>/new/", views.register_create, name="register_create"),
    # The gaps page moved to reporting (it spans the catalogue and the registers); old links still work.
    path("<slug:org>/governance-gaps/", RedirectView.as_view(pattern_name="reporting:governance_gaps",
                                                             permanent=True)),
    path("<slug:org>/matrix/", views.matrix_detail, name="matrix_detail"),
    path("<slug:org>/matrix/edit/", views.matrix_edit, name="matrix_edit"),
    path("<slug:org>/<slug:slug>/", views.register_detail, name="register_detail"),
    path("<slug:org>/<slug:slug>/edit/", views.register_edit, name="register_edit"),
    path("<slug:org>/<slug:slug>/history/",
         HistoryView.as_view(model=Register, lookups={"org": "organisation__slug", "slug": "slug"}),
         name="register_history"),
    path("<slug:org>/<slug:slug>/risks/new/", views.risk_create, name="risk_create"),
]
