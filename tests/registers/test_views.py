"""Register and risk pages: content, filters, heat map links, permissions and query counts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registers import services
from registers.models import Register, Risk
from tests.registers.factories import RiskActionFactory, RiskFactory


def _fill(register, count, owner):
    today = timezone.localdate()
    for n in range(count):
        risk = RiskFactory(register=register, current_likelihood=1 + n % 5, current_impact=1 + (n * 2) % 5,
                           officer_owner=owner, review_date=today - timedelta(days=n - count // 2))
        risk.record_review(by=owner, reviewed_on=today - timedelta(days=40), current_likelihood=2,
                           current_impact=2)
        risk.record_review(by=owner, reviewed_on=today, current_likelihood=1 + n % 5,
                           current_impact=1 + (n * 2) % 5)
        RiskActionFactory(risk=risk, owner=owner)


def _count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_register_page_runs_the_same_number_of_queries_for_3_or_30_risks(login, project, project_owner,
                                                                        directorate_register, officer_a):
    client = login(project_owner)
    _fill(project, 3, project_owner)
    for risk in Risk.objects.all()[:2]:
        services.propose_escalation(risk=risk, by=None, reason="x")
    url = project.get_absolute_url()
    small = _count_queries(client, url, None)
    _fill(project, 27, project_owner)
    for risk in Risk.objects.filter(escalations__isnull=True)[:5]:
        services.propose_escalation(risk=risk, by=None, reason="x")
    large = _count_queries(client, url, None)
    assert small == large
    assert large <= 25
    print(f"register page: {large} queries")


def test_risk_page_runs_the_same_number_of_queries_for_few_or_many_reviews(login, make_risk, project_owner,
                                                                           officer_a):
    risk = make_risk(4, 4)
    client = login(project_owner)
    today = timezone.localdate()
    for n in range(2):
        risk.record_review(by=project_owner, reviewed_on=today - timedelta(days=n), current_likelihood=4,
                           current_impact=4)
        RiskActionFactory(risk=risk, owner=project_owner)
    escalation = services.propose_escalation(risk=risk, by=project_owner, reason="x")
    small = _count_queries(client, risk.get_absolute_url(), None)
    for n in range(20):
        risk.record_review(by=officer_a, reviewed_on=today - timedelta(days=n + 5), current_likelihood=3,
                           current_impact=4)
        RiskActionFactory(risk=risk, owner=officer_a)
    services.reject_escalation(escalation=escalation, by=officer_a, reason="no")
    services.propose_escalation(risk=risk, by=officer_a, reason="again")
    large = _count_queries(client, risk.get_absolute_url(), None)
    assert small == large
    print(f"risk page: {large} queries")


def test_register_list_shows_the_hierarchy(login, project, manager_a):
    page = login(manager_a).get(reverse("registers:register_list")).content.decode()
    assert page.index("Corporate") < page.index("Social Care and Health") < page.index("Flo project")


def test_register_page_filters_by_band_overdue_owner_and_cell(login, project, project_owner, officer_a):
    today = timezone.localdate()
    high = RiskFactory(register=project, title="High one", current_likelihood=4, current_impact=3,
                       officer_owner=officer_a)
    low = RiskFactory(register=project, title="Low one", current_likelihood=1, current_impact=2,
                      review_date=today - timedelta(days=3))
    client = login(project_owner)
    url = project.get_absolute_url()

    def titles(query):
        page = client.get(url, query).content.decode()
        return {t for t in ("High one", "Low one") if t in page}

    assert titles({"band": "High"}) == {"High one"}
    assert titles({"band": "Low"}) == {"Low one"}
    assert titles({"overdue": "true"}) == {"Low one"}
    assert titles({"owner": officer_a.pk}) == {"High one"}
    assert titles({"likelihood": 4, "impact": 3}) == {"High one"}
    assert high.pk and low.pk


def test_register_page_filters_escalated_in_and_out(login, make_risk, project, directorate_register, officer_a):
    up = make_risk(4, 4, title="Going up")
    RiskFactory(register=directorate_register, title="Directorate own")
    services.accept_escalation(escalation=services.propose_escalation(risk=up, by=None, reason="x"), by=officer_a)
    client = login(officer_a)
    page = client.get(directorate_register.get_absolute_url(), {"escalated": "in"}).content.decode()
    assert "Going up" in page and "Directorate own" not in page
    page = client.get(project.get_absolute_url(), {"escalated": "out"}).content.decode()
    assert "Going up" in page


def test_heat_map_is_one_tab_stop_whose_data_table_links_each_cell_to_its_risks(login, make_risk, project_owner,
                                                                                 project):
    make_risk(4, 3)
    page = login(project_owner).get(project.get_absolute_url()).content.decode()
    figure = re.search(r'<div class="gt-figure">(.*?)</div>', page, re.S).group(1)
    assert re.findall(r'<a [^>]*href="([^"]+)"', figure) == ["#heat-table"]  # the whole chart is one link
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", figure, re.S).group(0)
    assert "<title" in svg and "<desc" in svg and "style" not in svg and "<script" not in svg
    assert "<a " not in svg
    table = re.search(r'<table class="govuk-table" id="heat-table">.*?</table>', page, re.S).group(0)
    assert '?likelihood=4&amp;impact=3#risks">1</a>' in table


def test_chart_labels_are_at_least_body_text_size(login, make_risk, project_owner, project):
    make_risk(4, 3)
    page = login(project_owner).get(project.get_absolute_url()).content.decode()
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", page, re.S).group(0)
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', svg)}
    assert sizes and min(sizes) >= 19


def test_risk_page_shows_score_history_chart_and_its_table(login, make_risk, project_owner):
    risk = make_risk(2, 2)
    risk.record_review(by=project_owner, reviewed_on=timezone.localdate(), current_likelihood=3, current_impact=3)
    page = login(project_owner).get(risk.get_absolute_url()).content.decode()
    assert 'role="img"' in page and "Score history" in page and "Audit trail" in page
    assert "3 × 3 = <strong>9</strong>" in page


def test_risk_pages_of_another_organisation_are_not_found(login, make_risk, officer_b, project):
    risk = make_risk()
    client = login(officer_b)
    assert client.get(risk.get_absolute_url()).status_code == 404
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.get(reverse("registers:risk_edit", args=[risk.pk])).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, project):
    assert client.get(project.get_absolute_url()).status_code == 302


def test_viewer_reads_but_cannot_change(login, make_risk, viewer_a):
    risk = make_risk()
    client = login(viewer_a)
    assert client.get(risk.get_absolute_url()).status_code == 200
    assert client.get(reverse("registers:risk_edit", args=[risk.pk])).status_code == 403
    assert client.post(reverse("registers:risk_review", args=[risk.pk]), {}).status_code == 403


def test_officer_cannot_edit_a_risk_they_do_not_own(login, make_risk, officer_a, project_owner):
    risk = make_risk(officer_owner=project_owner, register=None)
    # officer A owns the directorate register, not the project register nor this risk
    assert login(officer_a).get(reverse("registers:risk_edit", args=[risk.pk])).status_code == 403


def test_officer_adds_a_risk_and_scores_outside_the_matrix_are_refused(login, project, project_owner):
    client = login(project_owner)
    url = reverse("registers:risk_create", args=[project.organisation.slug, project.slug])
    data = {"reference": "FLO-9", "title": "Supplier fails", "inherent_likelihood": 4, "inherent_impact": 5,
            "current_likelihood": 7, "current_impact": 4, "status": "open"}
    response = client.post(url, data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not Risk.objects.exists()
    data["current_likelihood"] = 3
    response = client.post(url, data)
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.current_score, risk.register, risk.organisation) == (12, project, project.organisation)


def test_recording_a_review_on_the_page(login, make_risk, project_owner):
    risk = make_risk(2, 2)
    client = login(project_owner)
    url = reverse("registers:risk_review", args=[risk.pk])
    future = timezone.localdate() + timedelta(days=2)
    response = client.post(url, {"reviewed_on": future, "current_likelihood": 3, "current_impact": 3})
    assert response.status_code == 200 and "cannot be dated in the future" in response.content.decode()
    response = client.post(url, {"reviewed_on": timezone.localdate(), "current_likelihood": 3,
                                 "current_impact": 3, "note": "Supplier stable"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.current_score == 9 and risk.reviews.count() == 1


def test_manager_creates_a_register_and_a_cycle_is_refused(login, manager_a, org_a, corporate, directorate_a,
                                                           officer_a):
    client = login(manager_a)
    url = reverse("registers:register_create", args=[org_a.slug])
    response = client.post(url, {"name": "Directorate", "slug": "dir", "level": "directorate",
                                 "directorate": directorate_a.pk, "parent": corporate.pk,
                                 "escalation_threshold": 15, "status": "active"})
    assert response.status_code == 302
    directorate = Register.objects.get(slug="dir")
    response = client.post(reverse("registers:register_edit", args=[org_a.slug, corporate.slug]),
                           {"name": "Corporate", "slug": "corporate", "level": "corporate",
                            "parent": directorate.pk, "status": "active"})
    assert response.status_code == 200
    corporate.refresh_from_db()
    assert corporate.parent is None


def test_officers_cannot_create_registers(login, officer_a, org_a):
    assert login(officer_a).get(reverse("registers:register_create", args=[org_a.slug])).status_code == 403


def test_matrix_page_shows_bands_and_review_frequency(login, viewer_a, org_a, matrix_a):
    page = login(viewer_a).get(reverse("registers:matrix_detail", args=[org_a.slug])).content.decode()
    assert "Very high" in page and "16–25" in page and "30 days" in page


@pytest.mark.parametrize("decision", ["accept", "reject", "de-escalate"])
def test_decision_pages_render(login, make_risk, manager_a, decision):
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="x")
    if decision == "de-escalate":
        services.accept_escalation(escalation=escalation, by=manager_a)
    url = reverse("registers:escalation_decide", args=[escalation.pk, decision])
    assert login(manager_a).get(url).status_code == 200


def test_risk_page_shows_an_escalation_proposed_by_the_check(login, make_risk, project_owner):
    risk = make_risk(4, 4)
    services.run_escalation_check(organisation=None, today=timezone.localdate())
    response = login(project_owner).get(risk.get_absolute_url())
    assert response.status_code == 200
    assert "by the escalation check" in response.content.decode()


def test_archiving_a_risk_takes_it_off_the_register_and_keeps_it(login, make_risk, project_owner, viewer_a, project):
    risk = make_risk(title="Old risk")
    url = reverse("registers:risk_archive", args=[risk.pk])
    assert login(viewer_a).post(url).status_code == 403
    response = login(project_owner).post(url)
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.is_archived
    assert risk.get_absolute_url() not in login(project_owner).get(project.get_absolute_url()).content.decode()


def test_register_page_marks_risks_above_their_category_appetite(login, make_risk, project_owner, project, matrix_a):
    from registers.models import RiskCategory

    technology = RiskCategory.objects.create(matrix=matrix_a, name="Technology", appetite=8)
    make_risk(3, 4, category=technology)
    page = login(project_owner).get(project.get_absolute_url()).content.decode()
    assert "Above appetite" in page


def test_a_long_register_pages_its_risks_and_counts_them_all(login, viewer_a, project, make_risk):
    for n in range(55):
        make_risk(reference=f"P-{n:03d}")
    client = login(viewer_a)
    first = client.get(project.get_absolute_url())
    assert len(first.context["risks"]) == 50 and first.context["paginator"].count == 55
    assert "55 risks" in first.content.decode()
    second = client.get(project.get_absolute_url(), {"page": 2})
    assert [r.reference for r in second.context["risks"]] == [f"P-{n:03d}" for n in range(50, 55)]
    assert first.context["movement"].totals["new"] == 55  # every risk counted, not only the page's


def test_movement_since_a_date_names_the_risks_new_closed_and_rescored(project, make_risk, officer_a,
                                                                       directorate_register, time_machine):
    from datetime import date, datetime

    from django.utils import timezone as tz

    time_machine.move_to(tz.make_aware(datetime(2026, 1, 5, 9)), tick=False)
    rising, falling, steady, closing = make_risk(2, 2), make_risk(4, 4), make_risk(3, 3), make_risk(2, 3)
    time_machine.move_to(tz.make_aware(datetime(2026, 1, 10, 9)), tick=False)
    for risk, then in ((rising, (1, 2)), (falling, (5, 5)), (steady, (3, 3))):
        risk.record_review(by=officer_a, reviewed_on=date(2026, 1, 10), current_likelihood=then[0],
                           current_impact=then[1])
    time_machine.move_to(tz.make_aware(datetime(2026, 6, 1, 9)), tick=False)
    for risk, now in ((rising, (2, 2)), (falling, (4, 4)), (steady, (3, 3))):
        risk.record_review(by=officer_a, reviewed_on=date(2026, 6, 1), current_likelihood=now[0],
                           current_impact=now[1])
    closing.status = Risk.Status.CLOSED
    closing.save()
    fresh = make_risk(5, 5, reference="NEW-1")
    escalation = services.propose_escalation(risk=fresh, by=None, reason="threshold")
    services.accept_escalation(escalation=escalation, by=officer_a)

    moved = services.movement(project.risks.all(), since=date(2026, 2, 1))

    assert moved.new == [fresh] and moved.closed == [closing]
    assert moved.up == [rising] and (moved.up[0].then_score, moved.up[0].now_score) == (2, 4)
    assert moved.down == [falling] and (moved.down[0].then_score, moved.down[0].now_score) == (25, 16)
    assert [e.risk for e in moved.decisions] == [fresh]
    assert moved.totals == {"new": 1, "closed": 1, "up": 1, "down": 1, "decisions": 1}
    # Before any of it happened, nothing had moved yet.
    earlier = services.movement(project.risks.all(), since=date(2026, 6, 2))
    assert earlier.total == 0


def test_register_page_lists_which_risks_moved(login, project, make_risk, project_owner):
    from datetime import date

    risk = make_risk(2, 2, title="Supplier collapse")
    page = login(project_owner).get(project.get_absolute_url(), {"since": "2020-01-01"}).content.decode()
    assert "New risks (1)" in page and "Supplier collapse" in page
    assert date(2020, 1, 1).strftime("%-d %B %Y") in page and risk.reference in page


def test_the_escalation_warning_names_the_register_it_would_go_to(login, viewer_a, org_a):
    from tests.registers.factories import RegisterFactory, RiskFactory

    corporate = RegisterFactory(organisation=org_a, name="Corporate risk register", slug="corp")
    project = RegisterFactory(organisation=org_a, name="Flo project", slug="flo", level="project",
                              parent=corporate, escalation_threshold=12)
    risk = RiskFactory(register=project, current_likelihood=4, current_impact=4)
    page = login(viewer_a).get(risk.get_absolute_url()).text
    assert "this risk should be escalated to Corporate risk register." in page
