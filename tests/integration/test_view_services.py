"""The services the views call for staff voice rounds, share links, reporting and a plan's life,
called without HTTP: the rules that left the views (a share link's state and cap, starting next
year's plan, who may apply or undo a consensus board, which cluster or authority there is)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask

from tests.factories import Directory
from wizard.data.database import db
from wizard.data.models import Plan, PlanAnswer, User
from wizard.services import plans, reporting, sharing
from wizard.services import staff_voice as voice
from wizard.services.board import SchoolBoard

YEAR = 2025
TODAY = date(2025, 10, 1)


def _plan(user: User, year: int = YEAR) -> Plan:
    assert user.school_id is not None
    started = plans.start(user.school_id, year, "empty", user, confirmed=True)
    assert started == plans.Started(None)
    plan = plans.plan_of(user.school_id, year)
    assert plan is not None
    return plan


def test_next_years_plan_starts_empty_or_from_the_last_and_only_once(lead: User) -> None:
    assert lead.school_id is not None
    school = lead.school_id
    assert plans.start(school, YEAR, "copy", lead, confirmed=True) == plans.StartRefused("unchosen")
    assert plans.start(school, YEAR, "empty", lead, confirmed=False) == plans.StartRefused(
        "unconfirmed"
    )
    assert plans.start(school, YEAR, "sideways", lead, confirmed=True) == plans.StartRefused(
        "unchosen"
    )
    assert plans.plan_of(school, YEAR) is None
    plan = _plan(lead)
    # A plan with nothing saved in it yet (a staff voice round can make one) may be started
    # again; once something is saved, it exists.
    assert plans.start(school, YEAR, "empty", lead, confirmed=True) == plans.Started(None)
    db.session.add(PlanAnswer(plan_id=plan.id, step="about-your-school", data={"phase": "primary"}))
    db.session.commit()
    assert plans.start(school, YEAR, "empty", lead, confirmed=True) == plans.StartRefused("exists")
    assert plans.start(school, YEAR + 1, "copy", lead, confirmed=True) == plans.Started(YEAR)
    assert plans.versions_of(_plan_of(lead, YEAR + 1)) == []


def _plan_of(user: User, year: int) -> Plan:
    assert user.school_id is not None
    plan = plans.plan_of(user.school_id, year)
    assert plan is not None
    return plan


def test_a_share_links_state_and_the_cap(app: Flask, lead: User, directory: Directory) -> None:
    plan = _plan(lead)
    made = sharing.create(plan, lead, False, TODAY + timedelta(days=7))
    assert isinstance(made, sharing.Created)
    expiring = sharing.create(plan, lead, True, TODAY)
    assert isinstance(expiring, sharing.Created)
    rows = sharing.links(plan, TODAY)
    assert sorted(row.state for row in rows) == ["live", "live"]
    assert sorted(row.state for row in sharing.links(plan, TODAY + timedelta(days=1))) == [
        "expired",
        "live",
    ]
    first = next(row.link for row in rows if row.link.expires_on != TODAY)
    assert sharing.revoke(plan, first.id, lead)
    assert not sharing.revoke(plan, first.id + 1000, lead)
    assert sorted(row.state for row in sharing.links(plan, TODAY)) == ["live", "revoked"]
    lead.is_school_lead = False
    db.session.commit()
    assert sorted(row.state for row in sharing.links(plan, TODAY)) == ["revoked", "stopped"]
    cap = app.config["SHARE_LINKS_PER_PLAN"]
    for _ in range(cap - 1):
        assert isinstance(sharing.create(plan, lead, False, None), sharing.Created)
    assert sharing.create(plan, lead, False, None) == sharing.Refused(cap)


def test_a_round_is_open_until_closed_and_only_a_lead_applies_a_consensus(
    lead: User, directory: Directory
) -> None:
    plan = _plan(lead)
    assert voice.rounds(plan, TODAY) == voice.Rounds([], False)
    assert voice.rounds(None, TODAY).rows == []
    voice.open_round(plan, lead, TODAY + timedelta(days=3))
    listed = voice.rounds(plan, TODAY)
    assert listed.has_open and len(listed.rows) == 1
    round_ = listed.rows[0].round
    assert voice.round_of(plan, round_.id) == round_
    assert not voice.rounds(plan, TODAY + timedelta(days=4)).has_open
    voice.close_round(plan, round_, lead)
    assert not voice.rounds(plan, TODAY).has_open
    assert voice.answers_of(round_) == []
    assert voice.expected_staff_of(None) is None

    assert lead.school_id is not None
    state = SchoolBoard(lead.school_id, YEAR, "en", lead).read()
    consensus = {1: "high-expectations"}
    assert voice.lead_choices(True, state, consensus, plan) == voice.Lead(True, False)
    assert voice.lead_choices(False, state, consensus, plan) == voice.Lead(False, False)
    assert voice.lead_choices(True, state, None, plan) == voice.Lead(False, False)
    assert voice.school_ratings(state) == {}


def test_the_summarys_staff_voice_is_the_latest_round_with_the_last_closed_ones_results(
    lead: User,
) -> None:
    """One call gives the summary panel all it shows: the latest round, and the results of the
    latest closed round (no report under five responses)."""
    assert lead.school_id is not None
    plan = _plan(lead)
    catalogue = SchoolBoard(lead.school_id, YEAR, "en", lead).read().catalogue
    assert voice.summary(lead.school_id, YEAR, catalogue, TODAY) is None
    voice.open_round(plan, lead, TODAY + timedelta(days=3))
    first = voice.rounds(plan, TODAY).rows[0].round
    assert voice.summary(lead.school_id, YEAR, catalogue, TODAY) == voice.SummaryRound(
        first, 0, False, None, 0, None, None
    )
    # Past its closing date it is closed, and its own results are the ones shown.
    after = TODAY + timedelta(days=4)
    assert voice.summary(lead.school_id, YEAR, catalogue, after) == voice.SummaryRound(
        first, 0, True, first, 0, first.closes_on, None
    )
    # Closed by the lead, then a newer round opened: the newer one is counted, and the results
    # are still the closed round's, dated when the lead closed it.
    voice.close_round(plan, first, lead)
    voice.open_round(plan, lead, TODAY + timedelta(days=10))
    found = voice.summary(lead.school_id, YEAR, catalogue, TODAY)
    assert found is not None and first.closed_at is not None
    assert found.round != first and not found.closed
    assert (found.results_round, found.results_closed_on) == (first, first.closed_at.date())


def test_reporting_refuses_a_cluster_not_coordinated_or_an_authority_not_known(
    directory: Directory,
) -> None:
    cluster = directory.cluster()
    other = directory.cluster(name="Another cluster")
    coordinator = directory.user(email="co@example.org", coordinator_of=[cluster])
    assert [c.id for c in reporting.clusters_of(coordinator.id, "en")] == [cluster.id]
    assert reporting.cluster_dashboard(coordinator.id, other.id, YEAR, "", "en") is None
    assert reporting.cluster_rows(coordinator.id, other.id, YEAR, "en") is None
    shown = reporting.cluster_dashboard(coordinator.id, cluster.id, YEAR, "", "en")
    assert shown is not None and shown.cluster.id == cluster.id
    assert reporting.cluster_rows(coordinator.id, cluster.id, YEAR, "en") == []
    assert reporting.national(YEAR, "nowhere", "en") is None
    everywhere = reporting.national(YEAR, "", "en")
    assert everywhere is not None and everywhere.authority is None
    cardiff = reporting.national(YEAR, "cardiff", "en")
    assert cardiff is not None and cardiff.authority is not None


@pytest.mark.parametrize("status", ["", "submitted"])
def test_a_cluster_dashboard_counts_every_school_and_shows_those_asked_for(
    directory: Directory, status: str
) -> None:
    cluster = directory.cluster()
    directory.school(cluster=cluster)
    coordinator = directory.user(email="co@example.org", coordinator_of=[cluster])
    shown = reporting.cluster_dashboard(coordinator.id, cluster.id, YEAR, status, "en")
    assert shown is not None
    assert shown.all_count == 1
    assert len(shown.rows) == (1 if not status else 0)
    assert shown.facts.placements == []
