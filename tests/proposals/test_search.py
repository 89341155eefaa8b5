"""Proposals and their actions in search, for their organisation only."""


def test_search_finds_proposals_and_actions_of_the_persons_organisation(login, action_a, officer_a, officer_b):
    action_a.description = "Publish measurable targets in the digital plan"
    action_a.save()
    page = login(officer_a).get("/search/", {"q": "measurable targets"}).content.decode()
    assert "Actions on proposals (1)" in page and action_a.get_absolute_url() in page
    assert "P1" in login(officer_a).get("/search/", {"q": "P1"}).content.decode()
    assert "Publish measurable" not in login(officer_b).get("/search/", {"q": "measurable targets"}).content.decode()
