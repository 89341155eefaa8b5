from django.urls import path

from boards import views
from boards.models import Board, Meeting
from govtrack.viewmixins import HistoryView

app_name = "boards"
urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("decisions/", views.decision_log, name="decision_log"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/interests/new/", views.interest_create, name="interest_create"),
    path("interests/<int:pk>/edit/", views.interest_edit, name="interest_edit"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/history/", HistoryView.as_view(model=Meeting, related=views.meeting_trail),
         name="meeting_history"),
    path("meetings/<int:pk>/items/new/", views.agenda_item_create, name="agenda_item_create"),
    path("meetings/<int:pk>/papers/new/", views.paper_create, name="paper_create"),
    path("meetings/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("<int:pk>/", views.board_detail, name="board_detail"),
    path("<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("<int:pk>/history/", HistoryView.as_view(model=Board), name="board_history"),
    path("<int:pk>/review/", views.board_review, name="board_review"),
    path("<int:pk>/import/", views.board_import, name="board_import"),
    path("<int:pk>/members/new/", views.member_create, name="member_create"),
    path("<int:pk>/meetings/", views.meeting_list, name="meeting_list"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<slug:org>/new/", views.board_create, name="board_create"),
]
