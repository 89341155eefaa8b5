"""An agreement's lifecycle: negotiation, approval by the client's manager who did not write it, publishing,
versions that supersede the old one, and terms fixed once agreed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from slas import services
from slas.models import Agreement, ServiceLine


def test_a_manager_of_the_client_who_is_not_the_author_approves(agreement, availability, second_manager_a):
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AGREED
    assert agreement.approved_by == second_manager_a and agreement.approved_at is not None


def test_the_author_cannot_approve(agreement, availability, manager_a):
    with pytest.raises(ValidationError, match="author"):
        services.approve_agreement(agreement=agreement, by=manager_a)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_the_provider_or_an_officer_cannot_approve(agreement, availability, provider_manager, officer_a):
    for person in (provider_manager, officer_a):
        with pytest.raises(ValidationError, match="manager of the client"):
            services.approve_agreement(agreement=agreement, by=person)


def test_an_agreement_with_no_service_lines_cannot_be_approved(agreement, second_manager_a):
    with pytest.raises(ValidationError, match="no service lines"):
        services.approve_agreement(agreement=agreement, by=second_manager_a)
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.DRAFT


def test_negotiation_then_approval(agreement, availability, officer_a, second_manager_a):
    services.start_negotiation(agreement=agreement, by=officer_a)  # the owner may
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.NEGOTIATING
    with pytest.raises(ValidationError):
        services.start_negotiation(agreement=agreement, by=officer_a)
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.AGREED


def test_publishing_needs_agreement_and_both_languages(agreement, availability, second_manager_a, manager_a):
    with pytest.raises(ValidationError, match="agreed"):
        services.publish_agreement(agreement=agreement, by=manager_a)
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    agreement.summary = "The network is up 99.5% of each month."
    agreement.save()
    with pytest.raises(ValidationError, match="Welsh"):
        services.publish_agreement(agreement=agreement, by=manager_a)
    agreement.summary_cy = "Mae'r rhwydwaith ar gael 99.5% o bob mis."
    agreement.save()
    services.publish_agreement(agreement=agreement, by=manager_a)
    assert Agreement.objects.published().filter(pk=agreement.pk).exists()


def test_an_agreed_sla_keeps_its_terms_until_a_new_version(agreement, availability, second_manager_a):
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    agreement.refresh_from_db()
    agreement.annual_charge = 1
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "new version" in str(error.value.message_dict["annual_charge"])
    line = ServiceLine(agreement=agreement, service="Email", metric="Availability", target=99,
                       direction=ServiceLine.Direction.HIGHER)
    with pytest.raises(ValidationError, match="new version"):
        line.full_clean()


def test_a_new_version_supersedes_the_old_one_when_agreed(agreement, availability, fix_time, second_manager_a,
                                                          manager_a):
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    draft = services.new_version(agreement=agreement, by=manager_a)
    assert draft.revision == 2 and draft.status == Agreement.Status.DRAFT and draft.supersedes == agreement
    assert [(line.service, line.target) for line in draft.lines.all()] == [
        (line.service, line.target) for line in agreement.lines.all()]
    with pytest.raises(ValidationError, match="already"):
        services.new_version(agreement=agreement, by=manager_a)
    services.approve_agreement(agreement=draft, by=second_manager_a)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SUPERSEDED
    agreement.title = "Changed"
    with pytest.raises(ValidationError, match="superseded"):
        agreement.full_clean()


def test_an_agreement_needs_two_parties(agreement):
    agreement.client = agreement.provider
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "client" in error.value.message_dict


def test_a_target_with_no_direction_is_refused(agreement):
    line = ServiceLine(agreement=agreement, service="Email", metric="Availability", target=99)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "direction" in error.value.message_dict


def test_someone_of_another_organisation_cannot_start_negotiation(agreement, officer_b):
    with pytest.raises(PermissionDenied):
        services.start_negotiation(agreement=agreement, by=officer_b)
