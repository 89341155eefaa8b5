"""Measurements: one per line and period, resubmission keeps history, months all or nothing; breaches derived
on the boundary, repeated breaches escalated once with one risk; the checks; value for money."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govtrack.checks import run_checks
from govtrack.models import Notification, PartnershipMembership
from registers.models import Risk
from slas import services
from slas.models import Agreement, Breach, Measurement


def submit(line, period, actual, by):
    return services.submit_measurement(service_line=line, period=period, actual=Decimal(str(actual)), by=by)


def test_on_the_target_is_met_either_way(availability, fix_time, provider_officer):
    submit(availability, date(2024, 5, 1), "99.5", provider_officer)
    submit(fix_time, date(2024, 5, 1), "4", provider_officer)
    assert not Breach.objects.exists()


def test_a_miss_in_either_direction_is_a_breach(availability, fix_time, provider_officer):
    submit(availability, date(2024, 5, 1), "99.499", provider_officer)
    submit(fix_time, date(2024, 5, 1), "4.001", provider_officer)
    assert sorted(Breach.objects.values_list("service_line__metric", flat=True)) == ["Availability",
                                                                                     "Hours to fix a P1"]


def test_a_resubmission_updates_and_keeps_the_earlier_value(availability, provider_officer, officer_a):
    first, created = submit(availability, date(2024, 5, 1), "98", provider_officer)
    assert created and Breach.objects.open().count() == 1
    second, created = submit(availability, date(2024, 5, 1), "99.9", officer_a)
    assert not created and second.pk == first.pk
    assert Measurement.objects.count() == 1
    history = list(second.history.order_by("history_date").values_list("actual", "history_user__username"))
    assert history == [(Decimal("98.000"), "srs-officer"), (Decimal("99.900"), "officer-a")]
    assert Breach.objects.open().count() == 0 and Breach.objects.count() == 1  # cleared, kept


def test_periods_outside_the_agreement_or_not_a_month_start_are_refused(availability, provider_officer):
    for period, message in ((date(2023, 3, 1), "outside"), (date(2026, 4, 1), "outside"),
                            (date(2024, 5, 2), "first day")):
        with pytest.raises(ValidationError, match=message):
            submit(availability, period, 99, provider_officer)
    assert not Measurement.objects.exists()


def test_only_the_parties_may_submit(availability, officer_b, viewer_a):
    for person in (officer_b, viewer_a):
        with pytest.raises(PermissionDenied):
            submit(availability, date(2024, 5, 1), 99, person)


def test_a_month_is_saved_whole_or_not_at_all(agreement, availability, fix_time, agreement_b, provider_officer):
    other_line = agreement_b.lines.get()
    result = services.submit_month(agreement=agreement, period=date(2024, 6, 1), by=provider_officer, rows=[
        {"service_line": availability.pk, "actual": Decimal("99")},
        {"service_line": other_line.pk, "actual": Decimal("99")},
    ])
    assert set(result.errors) == {1} and "service_line" in result.errors[1]
    assert not Measurement.objects.exists() and not Breach.objects.exists()
    result = services.submit_month(agreement=agreement, period=date(2024, 6, 1), by=provider_officer, rows=[
        {"service_line": availability.pk, "actual": Decimal("99")},
        {"service_line": fix_time.pk, "actual": Decimal("3")},
    ])
    assert not result.errors and result.created == 2
    assert Breach.objects.get().service_line == availability


def _miss(line, months, by, start=date(2024, 1, 1)):
    from slas.periods import add_months

    for n in range(months):
        submit(line, add_months(start, n), "90", by)


def test_repeated_breaches_escalate_once_with_one_risk(agreement, availability, provider_officer, officer_a,
                                                       corporate):
    agreement.risk_register = corporate
    agreement.escalate_after = 3
    agreement.save()
    _miss(availability, 2, provider_officer)
    assert services.escalate_repeated_breaches(today=date(2024, 6, 1)) == 0
    _miss(availability, 4, provider_officer)  # the first two again (unchanged) and two more
    assert list(Breach.objects.order_by("period").values_list("consecutive", flat=True)) == [1, 2, 3, 4]
    for _run in range(2):
        run_checks(names=["sla_breaches"], today=date(2024, 6, 1))
    escalated = Breach.objects.filter(escalated_at__isnull=False)
    assert escalated.count() == 1 and escalated.get().consecutive == 3
    risk = Risk.objects.get(register=corporate)
    assert list(risk.agreements.all()) == [agreement]
    assert Notification.objects.filter(recipient=officer_a, key__startswith="slas:breach:").count() == 1
    # A met month ends the run; a new run of three escalates again, to the same risk.
    submit(availability, date(2024, 5, 1), "99.9", provider_officer)
    _miss(availability, 3, provider_officer, start=date(2024, 6, 1))
    run_checks(names=["sla_breaches"], today=date(2024, 9, 1))
    run_checks(names=["sla_breaches"], today=date(2024, 9, 1))
    assert Breach.objects.filter(escalated_at__isnull=False).count() == 2
    assert Risk.objects.filter(register=corporate).count() == 1


def test_breach_check_finds_misses_and_is_idempotent(availability, provider_officer):
    Measurement.objects.create(service_line=availability, period=date(2024, 5, 1), actual=90)  # written around
    runs = run_checks(names=["sla_breaches"], today=date(2024, 6, 1))
    assert runs[0].created == 1 and not runs[0].error
    assert run_checks(names=["sla_breaches"], today=date(2024, 6, 1))[0].created == 0


def test_a_partner_joining_soon_without_an_agreed_sla_is_flagged_once(partnership, agreement, availability,
                                                                      org_b, manager_b, manager_a,
                                                                      second_manager_a):
    PartnershipMembership.objects.filter(organisation=org_b).update(joined_on=date(2024, 7, 1))
    PartnershipMembership.objects.filter(organisation=agreement.client).update(joined_on=date(2024, 7, 15))
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    assert run_checks(names=["sla_unagreed_partners"], today=date(2024, 6, 1))[0].created == 1
    assert run_checks(names=["sla_unagreed_partners"], today=date(2024, 6, 1))[0].created == 0
    assert Notification.objects.filter(recipient=manager_b).count() == 1
    assert not Notification.objects.filter(recipient=manager_a).exists()  # A has its agreed SLA


def test_review_overdue_and_missing_figures(agreement, availability, second_manager_a, officer_a,
                                            provider_officer):
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    submit(availability, date(2025, 1, 1), "99.9", provider_officer)
    assert run_checks(names=["sla_reviews"], today=date(2025, 3, 31))[0].created == 0  # due today
    assert run_checks(names=["sla_reviews"], today=date(2025, 4, 1))[0].created == 1
    assert run_checks(names=["sla_reviews"], today=date(2025, 4, 2))[0].created == 0
    created = run_checks(names=["sla_missing_measurements"], today=date(2025, 3, 15))[0].created
    assert created == 11  # the twelve closed months back (March 2024 to February 2025), less January
    assert Notification.objects.filter(key=f"slas:missing:{agreement.pk}:2025-02-01").exists()
    assert not Notification.objects.filter(key=f"slas:missing:{agreement.pk}:2025-01-01").exists()
    assert run_checks(names=["sla_missing_measurements"], today=date(2025, 3, 15))[0].created == 0


def test_an_ended_agreement_expires(agreement, availability, second_manager_a):
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    run_checks(names=["sla_reviews"], today=date(2026, 4, 1))
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.EXPIRED


def test_value_for_money_per_partner(agreement, availability, fix_time, agreement_b, second_manager_a,
                                     provider_officer, django_assert_num_queries):
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    submit(availability, date(2023, 5, 1), "90", provider_officer)  # the year before: 1 of 2 met
    submit(fix_time, date(2023, 5, 1), "3", provider_officer)
    submit(availability, date(2024, 5, 1), "99.9", provider_officer)  # this year: 2 of 2 met
    submit(fix_time, date(2024, 5, 1), "3", provider_officer)
    with django_assert_num_queries(3):
        figures = services.value_for_money(agreements=Agreement.objects.all(), year_start=date(2024, 4, 1))
    mine = next(f for f in figures if f.client == agreement.client)
    assert (mine.met, mine.measured, mine.met_before, mine.measured_before) == (2, 2, 1, 2)
    assert mine.met_percent == 100.0 and mine.trend == 50.0
    assert mine.cost_per_user == Decimal("300.00") and mine.cost_per_device == Decimal("240.00")
    assert mine.charge_per_target_met == Decimal("600000.00")
    performance = services.performance_by_partner_month(agreements=Agreement.objects.all(),
                                                        start=date(2024, 4, 1), end=date(2025, 3, 1))
    assert [(f.period, f.measured, f.met) for f in performance] == [(date(2024, 5, 1), 2, 2)]


def test_an_agreed_slas_review_date_is_its_owners_dated_thing(agreement, availability, second_manager_a,
                                                              officer_a):
    from govtrack.dates import dated

    assert not [d for d in dated(people=[officer_a.pk], until=date(2026, 1, 1)) if d.key.startswith("slas:")]
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    found = [d for d in dated(people=[officer_a.pk], until=date(2026, 1, 1)) if d.key.startswith("slas:")]
    assert [(d.on, d.kind, d.url) for d in found] == [(date(2025, 3, 31), "sla", agreement.get_absolute_url())]
