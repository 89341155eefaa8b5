"""The register's "movement since" date is typed in GOV.UK date inputs, and a wrong one says so."""

from datetime import date, timedelta

from django.utils import timezone


def test_movement_since_the_day_month_and_year_typed(login, viewer_a, project, make_risk):
    make_risk(2, 2)
    page = login(viewer_a).get(project.get_absolute_url(),
                               {"since_day": "1", "since_month": "2", "since_year": "2026"})
    assert page.context["since"] == date(2026, 2, 1)
    html = page.content.decode()
    assert 'name="since_day" value="1"' in html and 'type="date"' not in html


def test_an_impossible_date_keeps_the_default_and_says_what_is_wrong(login, viewer_a, project):
    page = login(viewer_a).get(project.get_absolute_url(),
                               {"since_day": "31", "since_month": "2", "since_year": "2026"})
    assert page.status_code == 200
    assert page.context["since"] == timezone.localdate() - timedelta(days=90)
    html = page.content.decode()
    assert "must be a real date" in html and 'name="since_day" value="31"' in html


def test_the_filters_carry_the_date_as_one_value(login, viewer_a, project):
    page = login(viewer_a).get(project.get_absolute_url(), {"since": "2026-03-04", "overdue": "true"})
    assert page.context["since"] == date(2026, 3, 4)


def test_the_since_column_says_in_words_how_each_score_moved(login, viewer_a, officer_a, project, make_risk):
    falling, rising, steady = make_risk(4, 4), make_risk(1, 2), make_risk(3, 3)
    for risk in (falling, rising, steady):
        risk.record_review(by=officer_a, reviewed_on=date(2026, 1, 10), current_likelihood=risk.current_likelihood,
                           current_impact=risk.current_impact)
    falling.record_review(by=officer_a, reviewed_on=date(2026, 3, 1), current_likelihood=3, current_impact=4)
    rising.record_review(by=officer_a, reviewed_on=date(2026, 3, 1), current_likelihood=3, current_impact=3)
    html = login(viewer_a).get(project.get_absolute_url(), {"since": "2026-02-01"}).content.decode()
    assert "Down from 16 to 12" in html and "Up from 2 to 9" in html and "Unchanged at 9" in html
    assert "→" not in html.split("Risks on this register")[1]
