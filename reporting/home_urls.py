"""The start page, at the site's root: what needs the signed-in person."""

from django.urls import path

from reporting import views

urlpatterns = [
    path("", views.start_page, name="dashboard"),
    path("search/", views.search, name="search"),
    # The secret is the only credential: calendars fetch without a session.
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar"),
]
