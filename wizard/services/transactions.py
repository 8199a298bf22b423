"""The request's unit of work, for the error pages: whatever a failed request had started is
rolled back, so nothing half-saved stays. PlanLocked is what a write to a plan that was submitted
meanwhile raises."""

from __future__ import annotations

from wizard.data.database import db
from wizard.data.plans import PlanLocked

__all__ = ["PlanLocked", "rollback"]


def rollback() -> None:
    """Forget whatever this request wrote and has not committed."""
    db.session.rollback()
