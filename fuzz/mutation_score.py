"""The mutation score: the share of defect mutations the checker catches with their rule.

    python fuzz/mutation_score.py [--examples 50] [--json]

For every mutation in ``validator.strategies.MUTATIONS``, draw ``--examples``
valid links (every dialect, random features), apply the mutation and check
the result with the link's secret. A mutation is *caught* on a link when its
rule code is reported; it is *clean* when nothing else at warning or error
level is reported beyond the codes the mutation declares (``also``). The
score is caught / total over all mutated links; a mutation scores 100% only
if it was caught on every link.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings

from validator import check
from validator import strategies as dls
from validator.config import Config


def config_for(mutation: dls.Mutation) -> Config | None:
    """The checker settings a mutation needs (DL007 needs an allow-list of hosts)."""
    return Config(**dict(mutation.config)) if mutation.config else None  # type: ignore[arg-type]

@dataclass
class Score:
    mutation: dls.Mutation
    runs: int = 0
    caught: int = 0
    clean: int = 0
    noise: Counter[str] = field(default_factory=Counter)
    missed_example: str | None = None


def score(mutation: dls.Mutation, examples: int) -> Score:
    result = Score(mutation)

    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(dls.mutated_links([mutation]))
    def run(mutated: dls.MutatedLink) -> None:
        report = check(mutated.url, secret=mutated.secret, config=config_for(mutation))
        codes = set(report.codes())
        result.runs += 1
        if mutation.code in codes:
            result.caught += 1
        elif result.missed_example is None:
            result.missed_example = mutated.url
        noise = {
            f.code for f in report.findings
            if f.severity != "info" and f.code != mutation.code and f.code not in mutation.also
        }
        result.noise.update(noise)
        result.clean += not noise

    run()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=50, help="links per mutation")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args()
    scores = [score(m, options.examples) for m in dls.MUTATIONS]
    total = sum(s.runs for s in scores)
    caught = sum(s.caught for s in scores)
    clean = sum(s.clean for s in scores)
    fully = sum(s.caught == s.runs for s in scores)
    if options.json:
        print(json.dumps({
            "mutations": len(scores), "links": total, "caught": caught, "clean": clean,
            "score": round(caught / total, 4), "mutations_always_caught": fully,
            "per_mutation": {
                s.mutation.name: {"code": s.mutation.code, "runs": s.runs, "caught": s.caught,
                                  "clean": s.clean, "noise": dict(s.noise)}
                for s in scores
            },
        }, indent=2))
    else:
        for s in scores:
            mark = "" if s.caught == s.runs else f"   MISSED e.g. {s.missed_example}"
            noise = f"  noise {dict(s.noise)}" if s.noise else ""
            counts = f"{s.caught:>3}/{s.runs:<3}"
            print(f"{s.mutation.code}  {s.mutation.name:<28} {counts}{noise}{mark}")
        print(f"\nmutation score: {caught}/{total} mutated links caught by their rule "
              f"({100 * caught / total:.1f}%); {fully}/{len(scores)} mutations always caught; "
              f"{100 * clean / total:.1f}% without unrelated warnings or errors")
    return 0 if caught == total else 1


if __name__ == "__main__":
    sys.exit(main())
