"""The live stream's resume points (chatsvc.domain.live_events._Position), without a server: bursts larger than a
point lists, events of one transaction sharing a time, and events committed out of their time order."""
from __future__ import annotations

from chatsvc.domain.events import EventType, SpaceEvent
from chatsvc.domain.live_events import MAX_SEEN, OVERLAP_US, _Position

T0 = 1_800_000_000_000_000


def event(time_us: int, n: int) -> SpaceEvent:
    return SpaceEvent("S", f"{n:08d}abcdefgh", time_us, EventType.MESSAGE_CREATED, f"spaces/S/messages/m{n}")


def resumed(position: _Position) -> _Position:
    """A new stream's position from the point the old one would have handed out."""
    point = position.point()
    return _Position(point.user_id, (point.floor_us, point.floor_id),
                     {i: (point.floor_us + 1, i) for i in point.seen})


def deliver(position: _Position, events: list[SpaceEvent]) -> list[str]:
    sent = []
    for e in events:
        if position.is_new(e):
            position.sent(e)
            sent.append(e.id)
    return sent


def test_a_burst_in_one_transaction_larger_than_a_point_lists_resumes_at_every_step():
    burst = [event(T0, n) for n in range(3 * MAX_SEEN)]  # one transaction: one time, ids in recorded order
    position = _Position("u", (T0 - 1, ""), {})
    for k, e in enumerate(burst):
        # Whenever the stream breaks, a resumed one sends exactly what is left, even re-reading everything.
        assert deliver(resumed(position), burst) == [x.id for x in burst[k:]]
        assert deliver(position, [e]) == [e.id]
    assert len(position.point().seen) <= MAX_SEEN
    assert deliver(position, burst) == []


def test_an_event_committed_after_a_later_one_is_sent_once_and_survives_a_resume():
    position = _Position("u", (T0, ""), {})
    early, late = event(T0 + 10, 2), event(T0 + 20, 1)
    assert deliver(position, [late]) == [late.id]
    assert deliver(position, [early, late]) == [early.id]  # the hub's sweep re-reads both
    assert deliver(resumed(position), [early, late]) == []
    # Once OVERLAP_US has passed, the floor rises past them and the point lists neither.
    far = event(T0 + OVERLAP_US + 30, 3)
    assert deliver(position, [far]) == [far.id]
    assert position.point().seen == (far.id,)
    assert deliver(resumed(position), [early, late, far]) == []
