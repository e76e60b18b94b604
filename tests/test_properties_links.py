"""Properties over the public strategies: valid links are clean, mutations fire their rule.

Every valid link, in every encoding dialect, has no error and no warning;
every defect mutation makes the checker report the mutation's code, and no
error or warning beyond the ones the defect legitimately causes.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator import check, parse, rebuild
from validator import strategies as dls
from validator.config import Config
from validator.fix import fix

MUTATION_IDS = [m.name for m in dls.MUTATIONS]



def config_for(mutation: dls.Mutation) -> Config | None:
    """The checker settings a mutation needs (DL007 needs an allow-list of hosts)."""
    return Config(**dict(mutation.config)) if mutation.config else None  # type: ignore[arg-type]

@given(dls.link_specs())
def test_valid_links_in_every_dialect_are_clean(link: dls.LinkSpec) -> None:
    report = check(link.url, secret=link.secret)
    loud = [f"{f.code} {f.message}" for f in report.findings if f.severity != "info"]
    assert not loud, f"{link.dialect.name}: {link.url}"
    if link.has("chatid") or link.has("chat_id"):
        assert report.outcome.view == "session"
    if link.secret is not None and link.has("sbs"):
        assert report.outcome.identity == "verified"


@pytest.mark.parametrize("dialect", dls.DIALECTS, ids=[d.name for d in dls.DIALECTS])
@settings(max_examples=5)
@given(data=st.data())
def test_each_dialect_is_clean(dialect: dls.Dialect, data: st.DataObject) -> None:
    link = data.draw(dls.link_specs(dialect=dialect, chat=True, signed=True))
    report = check(link.url, secret=link.secret)
    assert report.worst() in (None, "info"), [f.message for f in report.findings]


@pytest.mark.parametrize("mutation", dls.MUTATIONS, ids=MUTATION_IDS)
@settings(max_examples=4)
@given(data=st.data())
def test_mutation_fires_its_rule_and_nothing_unrelated(
    mutation: dls.Mutation, data: st.DataObject
) -> None:
    mutated = data.draw(dls.mutated_links([mutation]))
    report = check(mutated.url, secret=mutated.secret, config=config_for(mutation))
    codes = set(report.codes())
    assert mutation.code in codes, f"{mutation.name} not caught: {mutated.url} -> {sorted(codes)}"
    unrelated = [
        f"{f.code}: {f.message}"
        for f in report.findings
        if f.severity != "info" and f.code != mutation.code and f.code not in mutation.also
    ]
    assert not unrelated, f"{mutation.name}: {mutated.url}"


def test_every_rule_a_single_edit_can_cause_has_a_mutation() -> None:
    from validator.rules.registry import RULES

    covered = {m.code for m in dls.MUTATIONS}
    # Not single edits of a link: the checker's knowledge
    # of the secret (DL308), the publishing context (DL313 warning, DL403) and
    # batches of links (DL310).
    not_edits = {"DL308", "DL310", "DL313", "DL403"}
    missing = {rule.code for rule in RULES} - covered - not_edits
    assert not missing


@given(dls.link_specs())
def test_parse_build_round_trip(link: dls.LinkSpec) -> None:
    canonical = rebuild(parse(link.url))
    again = parse(canonical)
    original = parse(link.url)
    assert rebuild(again) == canonical
    assert again.chat_id == original.chat_id
    for name in ("direct", "lang", "sbs", "sbs_mm", "ranstr", "name", "email", "phone"):
        assert again.get(name) == original.get(name)


@given(dls.mutated_links())
def test_fix_is_idempotent_and_leaves_nothing_safe_to_fix(mutated: dls.MutatedLink) -> None:
    fixed = fix(mutated.url, secret=mutated.secret)
    assert fix(fixed, secret=mutated.secret) == fixed
    left = [
        f.code
        for f in check(fixed, secret=mutated.secret).findings
        if f.fix is not None and f.fix.safe
    ]
    assert not left, f"{mutated.mutation.name}: {mutated.url} -> {fixed}"
