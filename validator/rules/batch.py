"""Rules that see every link of a run at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from validator import spec
from validator.model import Finding
from validator.rules.base import BatchRule, LinkContext, Rule, value_span


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

    def check_batch(self, contexts: Sequence[LinkContext]) -> Iterator[tuple[int, Finding]]:
        by_ranstr: dict[str, dict[str, list[int]]] = {}
        for index, context in enumerate(contexts):
            ranstr = context.link.ranstr
            if ranstr:
                links = by_ranstr.setdefault(ranstr, {})
                links.setdefault(context.link.text, []).append(index)
        for ranstr, links in by_ranstr.items():
            if len(links) < 2:
                continue
            indices = sorted(i for positions in links.values() for i in positions)
            for index in indices:
                others = [str(i + 1) for i in indices if i != index]
                param = contexts[index].param(spec.RANSTR)
                assert param is not None
                yield index, self.finding(
                    f"ranstr={ranstr!r} is also used by link(s) {', '.join(others[:5])}"
                    + (" …" if len(others) > 5 else ""),
                    value_span(param),
                    param=spec.RANSTR,
                )


RULES: tuple[Rule, ...] = (RanstrReused(),)
