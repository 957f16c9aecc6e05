"""Table definitions. A schema change is migrated as the README describes."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class SafetyEventRow(Base):
    """A red-flag or crisis message the bot escalated, for clinician review.

    No message text is stored: the rules that fired name what was said.
    """

    __tablename__ = "safety_events"

    id = Column(Integer, primary_key=True)
    occurred_at = Column(DateTime(timezone=True), nullable=False, index=True)
    patient_key = Column(String(64), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    category = Column(String(20), nullable=False)
    urgency = Column(String(20), nullable=True)
    rules = Column(String(500), nullable=False, default="")
    detected_by = Column(String(20), nullable=False)
    model_confidence = Column(Float, nullable=True)


class OfferedChoicesRow(Base):
    """The buttons last offered to a patient on SMS or WhatsApp, where they become numbered choices."""

    __tablename__ = "offered_choices"

    patient_key = Column(String(64), primary_key=True)
    choices = Column(Text, nullable=False)  # JSON list of {"title", "payload"}
    offered_at = Column(DateTime(timezone=True), nullable=False)


class WebhookDeliveryRow(Base):
    """A provider's message id already handled, so a replayed webhook request is ignored.

    Kept for the provider's retry window (channels/messaging/replay.py), across
    restarts and by every replica. The key is a hash: no ids are stored.
    """

    __tablename__ = "webhook_deliveries"

    key = Column(String(64), primary_key=True)
    seen_at = Column(DateTime(timezone=True), nullable=False, index=True)


class PainEntryRow(Base):
    """One pain diary entry: a whole-number score from 0 to 10 and optional context."""

    __tablename__ = "pain_entries"

    id = Column(Integer, primary_key=True)
    patient_key = Column(String(64), nullable=False, index=True)
    logged_at = Column(DateTime(timezone=True), nullable=False, index=True)
    score = Column(Integer, nullable=False)
    location = Column(String(60), nullable=True)
    activity = Column(String(60), nullable=True)
    note = Column(String(280), nullable=True)

    __table_args__ = (CheckConstraint("score >= 0 AND score <= 10", name="pain_score_on_scale"),)


class ActivityGoalRow(Base):
    """A graded activity plan: the baseline it started from and the level it has reached."""

    __tablename__ = "activity_goals"

    id = Column(Integer, primary_key=True)
    patient_key = Column(String(64), nullable=False, index=True)
    activity = Column(String(60), nullable=False)
    unit = Column(String(20), nullable=False)
    reported_amounts = Column(Text, nullable=False)  # JSON: what the patient said they can do now
    baseline = Column(Float, nullable=False)
    usual_pain = Column(Float, nullable=True)  # average diary score before the plan, if any
    level = Column(Integer, nullable=False, default=0)  # 0 = first goal; each level adds one weekly step
    started_at = Column(DateTime(timezone=True), nullable=False)
    reviewed_until = Column(DateTime(timezone=True), nullable=False)  # weeks before this have been reviewed
    active = Column(Boolean, nullable=False, default=True)


class ActivitySessionRow(Base):
    """A session of a goal's activity that the patient said they did."""

    __tablename__ = "activity_sessions"

    id = Column(Integer, primary_key=True)
    goal_id = Column(Integer, ForeignKey("activity_goals.id", ondelete="CASCADE"), nullable=False, index=True)
    patient_key = Column(String(64), nullable=False, index=True)
    done_at = Column(DateTime(timezone=True), nullable=False)
    amount = Column(Float, nullable=True)


class GoalChangeRow(Base):
    """Why a goal moved (or held): weekly reviews and flares, so every suggestion can explain itself."""

    __tablename__ = "goal_changes"

    id = Column(Integer, primary_key=True)
    goal_id = Column(Integer, ForeignKey("activity_goals.id", ondelete="CASCADE"), nullable=False, index=True)
    patient_key = Column(String(64), nullable=False, index=True)
    changed_at = Column(DateTime(timezone=True), nullable=False)
    from_level = Column(Integer, nullable=False)
    to_level = Column(Integer, nullable=False)
    reason = Column(String(40), nullable=False)


class DownloadRow(Base):
    """A file for one patient (a chart, an export) behind an unguessable link that expires."""

    __tablename__ = "downloads"

    token = Column(String(64), primary_key=True)
    patient_key = Column(String(64), nullable=False, index=True)
    filename = Column(String(80), nullable=False)
    media_type = Column(String(60), nullable=False)
    body = Column(LargeBinary, nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False, index=True)


class CheckInRow(Base):
    """A patient's opt-in to check-ins: when they are due, on which channel, and what they ask."""

    __tablename__ = "check_ins"

    patient_key = Column(String(64), primary_key=True)
    channel = Column(String(40), nullable=False)
    address = Column(String(128), nullable=False)  # the channel's id for the conversation, to send to
    zone = Column(String(64), nullable=False)
    local_time = Column(String(5), nullable=False)  # "19:00"
    weekdays = Column(String(7), nullable=False)  # "0123456": 0 = Monday
    asks = Column(String(10), nullable=False)  # pain, goal or both
    peg_weekly = Column(Boolean, nullable=False, default=False, server_default=false())  # the PEG-3 once a week, in place of the pain score
    paused_until = Column(DateTime(timezone=True), nullable=True)
    next_due_at = Column(DateTime(timezone=True), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False)


class CheckInDeliveryRow(Base):
    """What became of one due check-in. One row per patient and due time: a second scheduler that
    tries to claim the same check-in is refused by the database, so each is sent at most once."""

    __tablename__ = "check_in_deliveries"

    id = Column(Integer, primary_key=True)
    patient_key = Column(String(64), nullable=False, index=True)
    due_at = Column(DateTime(timezone=True), nullable=False)
    outcome = Column(String(20), nullable=False)  # sending, sent, not_sent, skipped_late, skipped_paused, skipped_changed
    reason = Column(String(200), nullable=False, default="")
    decided_at = Column(DateTime(timezone=True), nullable=False)

    __table_args__ = (UniqueConstraint("patient_key", "due_at", name="one_delivery_per_due_time"),)


class PegResponseRow(Base):
    """One completed PEG-3 (Krebs et al. 2009): average pain, and its interference with enjoyment of
    life and with general activity, each 0-10. Stored only when all three are answered."""

    __tablename__ = "peg_responses"

    id = Column(Integer, primary_key=True)
    patient_key = Column(String(64), nullable=False, index=True)
    answered_at = Column(DateTime(timezone=True), nullable=False, index=True)
    pain = Column(Integer, nullable=False)
    enjoyment = Column(Integer, nullable=False)
    activity = Column(Integer, nullable=False)

    __table_args__ = (CheckConstraint("pain BETWEEN 0 AND 10 AND enjoyment BETWEEN 0 AND 10 AND activity BETWEEN 0 AND 10", name="peg_items_on_scale"),)


class TopicReadRow(Base):
    """A topic the patient was given the clinicians' answer to: when first and last, and how often.
    Only the topic's id: nothing the patient wrote. For their progress report and export; deleted with their data."""

    __tablename__ = "topics_read"

    id = Column(Integer, primary_key=True)
    patient_key = Column(String(64), nullable=False, index=True)
    topic_id = Column(String(64), nullable=False)
    first_read_at = Column(DateTime(timezone=True), nullable=False)
    last_read_at = Column(DateTime(timezone=True), nullable=False)
    times = Column(Integer, nullable=False, default=1)

    __table_args__ = (UniqueConstraint("patient_key", "topic_id", name="one_row_per_topic_read"),)


class SchemaVersionRow(Base):
    """The migrations (pacewise/storage/migrations.py) applied to this database."""

    __tablename__ = "schema_version"

    version = Column(Integer, primary_key=True)
    description = Column(String(200), nullable=False)
    applied_at = Column(DateTime(timezone=True), nullable=False)
