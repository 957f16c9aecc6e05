"""Table definitions. A schema change is migrated as the README describes."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, String, Text
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
