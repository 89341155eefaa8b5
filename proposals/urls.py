from django.urls import path

from govtrack.viewmixins import ArchiveView, HistoryView, RestoreView
from proposals import views
from proposals.models import Action, BusinessCase, Proposal, Source

app_name = "proposals"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/history/", HistoryView.as_view(model=Source), name="source_history"),
    path("sources/<int:pk>/file/", views.source_file, name="source_file"),
    path("sources/<int:pk>/archive/", ArchiveView.as_view(model=Source), name="source_archive"),
    path("sources/<int:pk>/restore/", RestoreView.as_view(model=Source), name="source_restore"),
    path("sources/<int:pk>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/history/", HistoryView.as_view(model=Proposal), name="proposal_history"),
    path("proposals/<int:pk>/close/", views.proposal_close, name="proposal_close"),
    path("proposals/<int:pk>/archive/", ArchiveView.as_view(model=Proposal), name="proposal_archive"),
    path("proposals/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/history/", HistoryView.as_view(model=Action), name="action_history"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("actions/<int:pk>/revise/", views.action_revise, name="action_revise"),
    path("actions/<int:pk>/sign-off/", views.action_sign_off, name="action_sign_off"),
    path("actions/<int:pk>/cancel/", views.action_cancel, name="action_cancel"),
    path("actions/<int:pk>/reopen/", views.action_reopen, name="action_reopen"),
    path("actions/<int:pk>/evidence/new/", views.evidence_create, name="evidence_create"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("business-cases/", views.business_case_list, name="business_case_list"),
    path("business-cases/<int:pk>/", views.business_case_detail, name="business_case_detail"),
    path("business-cases/<int:pk>/history/", HistoryView.as_view(model=BusinessCase), name="business_case_history"),
    path("<slug:org>/sources/new/", views.source_create, name="source_create"),
    path("<slug:org>/request-updates/", views.request_updates, name="request_updates"),
]
