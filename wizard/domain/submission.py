"""When a plan may be submitted: every task complete, no more planned than the allocation,
and a school lead submitting. Plain Python: the data layer checks readiness again inside the
transaction that freezes the version, so that no write can slip in between."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wizard.domain.funding import summarise as summarise_funding
from wizard.domain.journey import JOURNEY, Task, TaskStatus, required_tasks


def incomplete_tasks(answers: Mapping[str, Mapping[str, Any]]) -> list[Task]:
    """The tasks not completed yet, in the task list's order (optional tasks never count)."""
    return [
        task
        for task in required_tasks()
        if JOURNEY.task_status(task, answers) != TaskStatus.COMPLETED
    ]


@dataclass(frozen=True)
class Readiness:
    """What stands between a plan and its submission (nothing: it is ready)."""

    incomplete: tuple[Task, ...] = ()
    over: int = 0
    """How much more than the allocation is planned, in pence."""

    @property
    def ready(self) -> bool:
        return not self.incomplete and not self.over


def readiness(answers: Mapping[str, Mapping[str, Any]]) -> Readiness:
    return Readiness(tuple(incomplete_tasks(answers)), summarise_funding(answers).totals.over)


def may_submit(is_school_lead: bool) -> bool:
    """Only a school lead submits; every member of the school may check the plan."""
    return is_school_lead
