"""Commands per minute, counted in memory."""

from __future__ import annotations

from commands.ratelimit import RateCounter

INES, JULES = ("discord", "1001"), ("matrix", "@jules:example.org")


def test_counts_within_a_minute() -> None:
    counter = RateCounter()
    assert [counter.hit(INES, 1000) for _ in range(5)] == [1, 2, 3, 4, 5]


def test_counts_are_per_person() -> None:
    counter = RateCounter()
    counter.hit(INES, 1000)
    counter.hit(INES, 1000)
    assert counter.hit(JULES, 1000) == 1
    assert counter.hit(INES, 1000) == 3


def test_a_new_minute_starts_everyone_again_and_forgets_the_last() -> None:
    counter = RateCounter()
    for person in range(100):
        counter.hit(("test", str(person)), 1000)
    assert counter.hit(INES, 1001) == 1
    assert counter.hit(INES, 1001) == 2
    assert counter.hit(JULES, 1001) == 1
    # Only this minute's senders are kept.
    assert len(counter) == 2
