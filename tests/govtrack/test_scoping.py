"""Scopes declared once: owned by an organisation, shared by a partnership, owned by it, or by two parties.

Lists (``visible_to``, ``changeable_by``) and record checks (``can_view``, ``can_change``) come from the
same declaration; the last tests check that they agree for every persona and every kind of record.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govtrack import access
from govtrack.models import Membership, Organisation, Partnership, PartnershipMembership
from tests.factories import member
from tests.scopetest.models import Deal, JointNote
from tests.scoping_world import build_world


@pytest.fixture
def srs(db):
    """A partnership of A and B provided by S; C is outside it."""
    orgs = {slug: Organisation.objects.create(name=f"Org {slug}", slug=slug) for slug in ("a", "b", "c", "s")}
    partnership = Partnership.objects.create(name="SRS", slug="srs", provider=orgs["s"])
    for slug in ("a", "b"):
        PartnershipMembership.objects.create(partnership=partnership, organisation=orgs[slug],
                                             joined_on=date(2020, 4, 1))
    people = {
        "officer_a": member(orgs["a"], Membership.Role.OFFICER, "officer_a"),
        "manager_a": member(orgs["a"], Membership.Role.MANAGER, "manager_a"),
        "viewer_b": member(orgs["b"], Membership.Role.VIEWER, "viewer_b"),
        "manager_b": member(orgs["b"], Membership.Role.MANAGER, "manager_b"),
        "manager_s": member(orgs["s"], Membership.Role.MANAGER, "manager_s"),
        "officer_c": member(orgs["c"], Membership.Role.OFFICER, "officer_c"),
    }
    return partnership, orgs, people


def _sees(user, note):
    return access.can_view(user, note), JointNote.objects.visible_to(user).filter(pk=note.pk).exists()


def test_a_partnership_note_is_read_by_every_member_and_the_provider_and_nobody_else(srs):
    partnership, _orgs, people = srs
    note = JointNote.objects.create(partnership=partnership, title="Joint risk: data centre")
    for name in ("officer_a", "manager_a", "viewer_b", "manager_b", "manager_s"):
        assert _sees(people[name], note) == (True, True), name
    assert _sees(people["officer_c"], note) == (False, False)


def test_a_partnership_note_is_changed_by_members_managers_and_by_an_officer_only_if_theirs(srs):
    partnership, _orgs, people = srs
    note = JointNote.objects.create(partnership=partnership, title="Joint risk")
    may = {name: access.can_change(user, note) for name, user in people.items()}
    assert may == {"officer_a": False, "manager_a": True, "viewer_b": False, "manager_b": True, "manager_s": True,
                   "officer_c": False}
    note.author = people["officer_a"]
    note.save()
    assert access.can_change(people["officer_a"], note)
    assert list(JointNote.objects.changeable_by(people["officer_a"])) == [note]
    assert not JointNote.objects.changeable_by(people["viewer_b"]).exists()


def test_an_organisations_note_shared_with_the_partnership_is_read_by_partners_but_changed_only_by_its_own(srs):
    partnership, orgs, people = srs
    shared = JointNote.objects.create(organisation=orgs["a"], partnership=partnership, title="Our roadmap")
    private = JointNote.objects.create(organisation=orgs["a"], title="Our budget")
    assert _sees(people["viewer_b"], shared) == (True, True)
    assert _sees(people["viewer_b"], private) == (False, False)
    assert _sees(people["officer_c"], shared) == (False, False)
    assert access.can_change(people["manager_a"], shared)
    assert not access.can_change(people["manager_b"], shared)
    assert not JointNote.objects.changeable_by(people["manager_b"]).exists()


def test_a_partner_that_has_left_sees_the_partnership_no_more(srs):
    partnership, orgs, people = srs
    note = JointNote.objects.create(partnership=partnership, title="Joint risk")
    PartnershipMembership.objects.filter(organisation=orgs["b"]).update(left_on=timezone.localdate())
    access.forget(people["viewer_b"])
    assert _sees(people["viewer_b"], note) == (False, False)


def test_a_partner_joining_later_sees_nothing_before_it_joins(srs):
    partnership, orgs, people = srs
    note = JointNote.objects.create(partnership=partnership, title="Joint risk")
    PartnershipMembership.objects.create(partnership=partnership, organisation=orgs["c"],
                                         joined_on=timezone.localdate() + timedelta(days=30))
    assert _sees(people["officer_c"], note) == (False, False)


def test_a_record_of_two_parties_is_read_and_changed_by_both_and_nobody_else(srs):
    _partnership, orgs, people = srs
    deal = Deal.objects.create(title="Service desk", provider=orgs["s"], client=orgs["a"])
    for name in ("officer_a", "manager_a", "manager_s"):
        assert access.can_view(people[name], deal) and Deal.objects.visible_to(people[name]).exists(), name
    for name in ("viewer_b", "manager_b", "officer_c"):
        assert not access.can_view(people[name], deal) and not Deal.objects.visible_to(people[name]).exists(), name
    assert access.can_change(people["manager_s"], deal) and access.can_change(people["manager_a"], deal)
    assert not access.can_change(people["officer_a"], deal)
    assert list(Deal.objects.for_organisation(orgs["a"])) == [deal] == list(Deal.objects.for_organisation(orgs["s"]))


def test_a_partnership_note_names_people_of_its_members_only(srs):
    partnership, orgs, people = srs
    note = JointNote(partnership=partnership, title="Joint risk", author=people["manager_b"])
    note.full_clean()
    note.author = people["officer_c"]
    with pytest.raises(ValidationError) as refused:
        note.full_clean()
    assert "author" in refused.value.message_dict
    own = JointNote(organisation=orgs["a"], partnership=partnership, title="Roadmap", author=people["manager_b"])
    with pytest.raises(ValidationError):
        own.full_clean()  # shared with partners, but it is still A's record: its people are A's


def test_a_note_must_belong_to_an_organisation_or_a_partnership(srs):
    with pytest.raises(ValidationError) as refused:
        JointNote(title="Nobody's").full_clean()
    assert "organisation" in refused.value.message_dict


def test_a_record_never_moves_to_another_organisation(srs):
    _partnership, orgs, people = srs
    note = JointNote.objects.create(organisation=orgs["a"], title="Ours")
    note.organisation = orgs["b"]
    with pytest.raises(ValidationError) as refused:
        note.full_clean()
    assert refused.value.message_dict["organisation"] == ["A record stays in the organisation it was created in."]


def test_creating_a_partnership_record_needs_a_members_role(srs):
    partnership, _orgs, people = srs
    note = JointNote(partnership=partnership, title="New")
    assert access.can_create(people["officer_a"], note)
    assert not access.can_create(people["viewer_b"], note)
    assert not access.can_create(people["officer_c"], note)


def test_lists_and_record_checks_agree_for_every_persona_and_every_kind_of_record(db):
    """The drift the one declaration prevents: a list showing a record its page refuses, or the reverse."""
    world = build_world()
    people = [world.a.officer, world.a.manager, world.b.officer, world.viewer_in_b, world.service_account.user]
    records = [r for side in (world.a, world.b) for model, r in side.records.items() if hasattr(model, "scope")]
    assert len(records) > 20
    for user in people:
        for record in records:
            model = type(record)
            listed = model.objects.visible_to(user).filter(pk=record.pk).exists()
            assert access.can_view(user, record) == listed, (user, model.__name__, record)
            changeable = model.objects.changeable_by(user).filter(pk=record.pk).exists()
            assert access.can_change(user, record) == changeable, (user, model.__name__, record)
            only_seen = model.objects.seen_not_changeable_by(user).filter(pk=record.pk).exists()
            assert only_seen == (listed and not changeable), (user, model.__name__, record)
