"""The PEG-3 scale: scoring, change since the start, and storage that never keeps half a questionnaire."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from pacewise.checkins.peg import PegAnswers, progress
from pacewise.storage.database import session_scope
from pacewise.storage.patient_data import delete_patient_data, export_patient_data
from pacewise.storage.peg import peg_history, record_peg
from pacewise.storage.tables import PegResponseRow

START = datetime(2026, 10, 19, 18, 0, tzinfo=timezone.utc)


def test_the_score_is_the_mean_of_the_three_items_to_one_decimal():
    assert PegAnswers(7, 8, 7).score == 7.3
    assert PegAnswers(0, 0, 0).score == 0.0
    assert PegAnswers(10, 10, 10).score == 10.0


@pytest.mark.parametrize("bad", [11, -1, 7.5, "7", None, True])
def test_an_answer_off_the_scale_is_refused(bad):
    with pytest.raises(ValueError, match="0 to 10"):
        PegAnswers(5, bad, 5)


def test_a_fall_of_thirty_percent_or_more_is_a_meaningful_improvement():
    six_weeks = [(START, PegAnswers(7, 8, 7)), (START + timedelta(weeks=6), PegAnswers(5, 5, 5))]
    small = [(START, PegAnswers(6, 6, 6)), (START + timedelta(weeks=2), PegAnswers(5, 5, 5))]

    change = progress(list(reversed(six_weeks)))  # any order
    assert (change.first, change.latest, change.weeks, change.responses) == (7.3, 5.0, 6, 2)
    assert change.meaningful_improvement and round(change.change, 2) == -0.32
    assert not progress(small).meaningful_improvement  # a 17% fall
    assert not progress([(START, PegAnswers(7, 7, 7))]).meaningful_improvement  # one answer is no change
    assert progress([]) is None


def test_answers_are_stored_per_patient_and_kept_whole(database):
    record_peg("patient-a", PegAnswers(7, 8, 7), START)
    record_peg("patient-a", PegAnswers(5, 6, 6), START + timedelta(weeks=1))
    record_peg("patient-b", PegAnswers(2, 2, 2), START)

    assert [answers for _, answers in peg_history("patient-a")] == [PegAnswers(7, 8, 7), PegAnswers(5, 6, 6)]
    with pytest.raises(IntegrityError), session_scope() as session:  # the table refuses what the code would
        session.add(PegResponseRow(patient_key="patient-a", answered_at=START, pain=5, enjoyment=12, activity=5))
    assert len(peg_history("patient-a")) == 2


def test_peg_answers_are_exported_and_deleted_with_the_patients_data(database):
    record_peg("patient-a", PegAnswers(7, 8, 7), START)
    record_peg("patient-b", PegAnswers(2, 2, 2), START)

    exported = export_patient_data("patient-a")["peg_responses"]
    delete_patient_data("patient-a")

    assert exported == [{"answered_at": START.isoformat(), "pain": 7, "enjoyment": 8, "activity": 7, "score": 7.3}]
    assert peg_history("patient-a") == [] and len(peg_history("patient-b")) == 1
