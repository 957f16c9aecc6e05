"""Graded activity goals, the sessions done towards them and the reasons they moved."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update

from pacewise.storage.database import as_utc, session_scope
from pacewise.storage.tables import ActivityGoalRow, ActivitySessionRow, GoalChangeRow


@dataclass(frozen=True)
class Goal:
    id: int
    activity: str
    unit: str
    reported_amounts: dict[str, object]
    baseline: float
    level: int
    started_at: datetime
    reviewed_until: datetime


@dataclass(frozen=True)
class GoalChange:
    changed_at: datetime
    from_level: int
    to_level: int
    reason: str


def _goal(row: ActivityGoalRow) -> Goal:
    return Goal(
        id=row.id,
        activity=row.activity,
        unit=row.unit,
        reported_amounts=json.loads(row.reported_amounts),
        baseline=row.baseline,
        level=row.level,
        started_at=as_utc(row.started_at),
        reviewed_until=as_utc(row.reviewed_until),
    )


def start_goal(patient_key: str, activity: str, unit: str, reported_amounts: dict[str, object], baseline: float, now: datetime) -> Goal:
    """A new plan for an activity; it replaces any active plan for the same activity."""
    with session_scope() as session:
        session.execute(
            update(ActivityGoalRow)
            .where(ActivityGoalRow.patient_key == patient_key, ActivityGoalRow.activity == activity, ActivityGoalRow.active.is_(True))
            .values(active=False)
        )
        row = ActivityGoalRow(
            patient_key=patient_key,
            activity=activity,
            unit=unit,
            reported_amounts=json.dumps(reported_amounts),
            baseline=baseline,
            level=0,
            started_at=now.astimezone(timezone.utc),
            reviewed_until=now.astimezone(timezone.utc),
            active=True,
        )
        session.add(row)
        session.flush()
        return _goal(row)


def active_goals(patient_key: str) -> list[Goal]:
    with session_scope() as session:
        rows = session.execute(
            select(ActivityGoalRow).where(ActivityGoalRow.patient_key == patient_key, ActivityGoalRow.active.is_(True)).order_by(ActivityGoalRow.started_at)
        ).scalars()
        return [_goal(row) for row in rows]


def record_session(goal: Goal, patient_key: str, done_at: datetime, amount: float | None) -> None:
    with session_scope() as session:
        session.add(ActivitySessionRow(goal_id=goal.id, patient_key=patient_key, done_at=done_at.astimezone(timezone.utc), amount=amount))


def session_times(goal: Goal) -> list[datetime]:
    with session_scope() as session:
        rows = session.execute(select(ActivitySessionRow.done_at).where(ActivitySessionRow.goal_id == goal.id).order_by(ActivitySessionRow.done_at))
        return [as_utc(done_at) for (done_at,) in rows]


def goal_changes(goal: Goal) -> list[GoalChange]:
    with session_scope() as session:
        rows = session.execute(select(GoalChangeRow).where(GoalChangeRow.goal_id == goal.id).order_by(GoalChangeRow.changed_at, GoalChangeRow.id)).scalars()
        return [GoalChange(as_utc(row.changed_at), row.from_level, row.to_level, row.reason) for row in rows]


def save_goal_progress(goal: Goal, patient_key: str, level: int, reviewed_until: datetime, changes: list[GoalChange]) -> Goal:
    """Store a goal's new level, how far it has been reviewed, and why it changed."""
    with session_scope() as session:
        session.execute(
            update(ActivityGoalRow).where(ActivityGoalRow.id == goal.id).values(level=level, reviewed_until=reviewed_until.astimezone(timezone.utc))
        )
        for change in changes:
            session.add(
                GoalChangeRow(
                    goal_id=goal.id,
                    patient_key=patient_key,
                    changed_at=change.changed_at.astimezone(timezone.utc),
                    from_level=change.from_level,
                    to_level=change.to_level,
                    reason=change.reason,
                )
            )
    return Goal(goal.id, goal.activity, goal.unit, goal.reported_amounts, goal.baseline, level, goal.started_at, reviewed_until)
