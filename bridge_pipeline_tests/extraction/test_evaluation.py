import pytest

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.extraction.evaluation import (
    aggregate,
    aggregate_by_series,
    key_terms,
    parse_timestamp,
    score_meeting,
)
from bridge_pipeline.models import Citation, Decision, MeetingDecisions

REFERENCE = {
    "decisions": [{"timestamp": "00:51:20", "decision": "Headliner selection postponed to next ACDC"}],
    "action_items": [{"timestamp": "00:33:04", "action": "Review deposit bug fix PR 4897", "owner": "stokes"}],
    "highlights": {"epbs": [{"timestamp": "00:10:00", "highlight": "Devnet timeline"}]},
    "targets": [],
}


def predicted(meeting_id: str, *cited: tuple[float, str]) -> MeetingDecisions:
    decisions = tuple(
        Decision(
            decision_id=f"{meeting_id}-d{n:03d}", meeting_id=meeting_id, kind="decision", text=quote, topic="general",
            confidence=0.7,
            citations=(Citation(meeting_id=meeting_id, utterance_index=n, start_s=at, end_s=at + 5, speaker="s", quote=quote),),
        )
        for n, (at, quote) in enumerate(cited, start=1)
    )
    return MeetingDecisions(meeting_id=meeting_id, decisions=decisions, extractor="test")


def test_reference_is_found_by_a_nearby_citation_sharing_key_terms():
    score = score_meeting(predicted("acdc_1", (51 * 60 + 6, "we'll make the headliner call next ACDC")), REFERENCE)
    assert (score.found_decisions, score.reference_decisions) == (1, 1)
    assert score.precision == 1.0 and score.citation_accuracy == 1.0


def test_citation_more_than_two_minutes_away_does_not_count():
    score = score_meeting(predicted("acdc_1", (46 * 60, "the headliner call is next ACDC")), REFERENCE)
    assert score.recall == 0.0 and score.citation_accuracy == 0.0


def test_nearby_citation_without_shared_terms_is_well_cited_but_not_a_match():
    score = score_meeting(predicted("acdc_1", (33 * 60, "I'll try to take a look there")), REFERENCE)
    assert score.found_actions == 0 and score.correct_predictions == 0
    assert score.well_cited_predictions == 1


def test_highlights_count_only_for_the_any_label_citation_accuracy():
    score = score_meeting(predicted("acdc_1", (10 * 60 + 30, "devnet timeline is fine")), REFERENCE)
    assert score.citation_accuracy == 0.0 and score.citation_accuracy_any_label == 1.0


def test_minimum_shared_terms_is_capped_by_the_reference_length():
    short = {"decisions": [{"timestamp": "00:01:00", "decision": "Merged"}], "action_items": []}
    score = score_meeting(predicted("m_1", (60, "it is merged now")), short, min_shared_terms=3)
    assert score.found_decisions == 1


def test_aggregate_adds_counts_and_series_group_by_prefix():
    first = score_meeting(predicted("acdc_1", (51 * 60 + 6, "headliner next ACDC")), REFERENCE)
    second = score_meeting(predicted("acdt_2", (5, "nothing relevant")), REFERENCE)
    total = aggregate([first, second])
    assert (total.references, total.predictions, total.found_decisions) == (4, 2, 1)
    assert total.recall == 0.25
    assert sorted(aggregate_by_series([first, second])) == ["acdc", "acdt"]


def test_key_terms_drop_small_talk_and_stem_lightly():
    assert key_terms("Yeah, we merged the devnets today") == {"merg", "devnet", "today"}
    assert "4897" in key_terms("PR 4897")


def test_timestamps_parse_and_bad_ones_name_the_value():
    assert parse_timestamp("01:02:03") == 3723.0
    assert parse_timestamp("51:20") == 3080.0
    with pytest.raises(BadInputError, match="'later'"):
        parse_timestamp("later")
