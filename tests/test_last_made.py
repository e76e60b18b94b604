"""The one-entry memo by identity that check() and the screen share."""

from __future__ import annotations

from validator import check
from validator.last_made import LastMade
from validator.signature import sign


def test_the_same_object_is_answered_from_the_entry_and_another_is_made_anew() -> None:
    made: list[object] = []

    def make(key: object) -> tuple[object]:
        made.append(key)
        return (key,)

    memo: LastMade[object, tuple[object]] = LastMade(make)
    first, equal_but_other = [1], [1]
    assert memo(first) is memo(first)
    assert made == [first]
    assert memo(equal_but_other) == ([1],)
    assert len(made) == 2 and made[1] is equal_but_other
    assert memo(first) == ([1],) and len(made) == 3  # only the last object is kept


def test_checks_alternating_between_two_secrets_each_use_their_own() -> None:
    base = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=c1&sbs=u1"
    ranstr = "9f8e7d6c5b4a39281706f5e4"
    for secret, other in (("secret-one-1", "secret-two-2"), ("secret-two-2", "secret-one-1")):
        url = f"{base}&sbs_mm={sign('u1', ranstr, secret)}&ranstr={ranstr}"
        assert check(url, secret=secret).outcome.identity == "verified"
        assert check(url, secret=other).outcome.identity == "rejected"
