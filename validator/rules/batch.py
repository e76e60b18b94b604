"""Rules that see every link of a run at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from validator import spec
from validator.model import Finding, Report
from validator.rules.base import BatchRule, Rule, value_span


class RanstrReused(BatchRule):
    """The same ``ranstr`` in more than one link."""

    code = "DL310"
    name = "ranstr-reused"
    severity = "warning"
    family = "identity"
    summary = "Batch only: the same ranstr in more than one link"
    why = (
        "ranstr should be fresh for every link it signs. A reused one means the generator is "
        "not random (a constant, a seed, a timestamp) and the links' signatures can be "
        "compared and replayed. The same link appearing twice does not count."
    )
    bad = "…&ranstr=Qm9yTnx3aWZpLXN0YXI in two different links"
    good = "a fresh ranstr for every link"
    #: How many of the other links a message names; the rest are counted.
    shown_places: ClassVar[int] = 5

    def message(self, ranstr: str, places: Sequence[str], others: int) -> str:
        """The finding's message, wherever the links were seen: ``others`` other links use
        ``ranstr``, and the first of ``places`` (one per other link: ``link 2`` for
        :func:`~validator.check_many`, ``file:line:column`` for an audit) say where."""
        shown = list(places[: self.shown_places])
        more = others - len(shown)
        where = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
        plural = "s" if others > 1 else ""
        return f"ranstr={ranstr!r} is also used by {others} other link{plural}: at {where}"

    def check_batch(self, reports: Sequence[Report]) -> Iterator[tuple[int, Finding]]:
        by_ranstr: dict[str, list[int]] = {}
        for index, report in enumerate(reports):
            ranstr = report.value(spec.RANSTR)
            if ranstr:
                by_ranstr.setdefault(ranstr, []).append(index)
        for ranstr, indices in by_ranstr.items():
            if len(indices) < 2:
                continue
            # The same link twice is one use: only other links count (parsed only here).
            if len({reports[index].link.text for index in indices}) < 2:
                continue
            for index in indices:
                others = [f"link {i + 1}" for i in indices if i != index]
                param = reports[index].link.param(spec.RANSTR)
                assert param is not None
                yield index, self.finding(
                    self.message(ranstr, others, len(others)), value_span(param),
                    param=spec.RANSTR,
                )


RANSTR_REUSED = RanstrReused()

RULES: tuple[Rule, ...] = (RANSTR_REUSED,)
