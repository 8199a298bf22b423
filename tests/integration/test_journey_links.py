"""The journey names the view of every step, so the task list's links do not depend on
which blueprint's URL prefix happens to shadow the generic step route."""

from __future__ import annotations

from flask import Flask

from wizard.domain.journey import JOURNEY, Location
from wizard.web.presenters import location_url


def test_every_step_names_a_view_that_exists(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for task in JOURNEY.tasks:
        for step in task.steps:
            assert step.endpoint in endpoints, (step.slug, step.endpoint)


def test_each_step_link_reaches_the_view_the_journey_names(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    with app.test_request_context("/cy/"):
        for task in JOURNEY.tasks:
            for step in task.steps:
                url = location_url(Location("step", step.slug), 2026)
                endpoint, _ = adapter.match(url.split("?")[0])
                assert endpoint == step.endpoint, (step.slug, url)
                assert url.startswith("/cy/plan/2026-27/")
