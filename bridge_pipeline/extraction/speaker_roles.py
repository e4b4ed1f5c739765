"""Who carries a meeting: in a large call the few who lead the talk, in a small one every participant."""

from __future__ import annotations

from collections import Counter

from bridge_pipeline.models import Utterance

# Up to this many speakers every voice is a party to what gets agreed (a negotiation, a team sync).
SMALL_MEETING_SPEAKERS = 6
# In a larger call, someone who says less than this share of what the chair says only speaks up now and then.
LEAD_SHARE_OF_CHAIR = 0.4


def side_voices(utterances: tuple[Utterance, ...], chair: str | None) -> frozenset[str]:
    """Speakers of a large call who neither run it nor take a leading part in it.

    Their "I'll have a look" or "we'll have two clients" is mostly a status remark; the outcomes of
    such calls are stated, asked for or confirmed by the people leading them.
    """
    counts = Counter(u.speaker for u in utterances)
    if chair is None or len(counts) <= SMALL_MEETING_SPEAKERS:
        return frozenset()
    floor = LEAD_SHARE_OF_CHAIR * counts[chair]
    return frozenset(name for name, spoken in counts.items() if spoken < floor)
