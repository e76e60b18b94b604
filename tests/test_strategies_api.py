"""The public strategies compose with users' own values and strategies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator import parse, verify
from validator import strategies as dls
from validator.signature import Secret

SECRET = "9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a"


@settings(max_examples=20)
@given(
    dls.valid_links(
        dialect="java-URLEncoder",
        hosts="chat.example.com",
        app_ids="demo_app",
        base_paths="/support",
        chat=True,
        chat_ids=st.sampled_from(["order-1", "order-2"]),
        extra=st.just([("utm_source", "mail")]),
    )
)
def test_fixed_values_and_user_strategies_flow_through(url: str) -> None:
    link = parse(url)
    assert link.host == "chat.example.com"
    assert link.base_path == "/support"
    assert link.app_id == "demo_app"
    assert link.chat_id in ("order-1", "order-2")
    assert link.direct == "1"
    assert link.get("utm_source") == "mail"


@settings(max_examples=20)
@given(dls.valid_params(signed=True, secret=SECRET, chat=False, customer=False, sdk=False))
def test_signed_params_verify_with_the_given_secret(params: dict[str, str]) -> None:
    assert verify(params["sbs"], params["ranstr"], params["sbs_mm"], SECRET)
    assert "chatid" not in params and "name" not in params and "theme" not in params


@settings(max_examples=20)
@given(dls.link_specs(chat=False, lang=False, signed=False, customer=False, sdk=False))
def test_features_switched_off_leave_no_query(link: dls.LinkSpec) -> None:
    assert link.pairs == ()
    assert "?" not in link.url


@settings(max_examples=10)
@given(dls.link_specs(signed=True, secret=st.just(Secret(SECRET))))
def test_link_spec_edits(link: dls.LinkSpec) -> None:
    assert link.secret == Secret(SECRET)
    resigned = link.resigned(ranstr="Zq8Rv3Nw0Lp7Xm2K")
    assert verify(resigned.get("sbs") or "", "Zq8Rv3Nw0Lp7Xm2K", resigned.get("sbs_mm") or "",
                  SECRET)
    assert not link.without("sbs").has("sbs")
    assert link.renamed("sbs", "SBS").has("SBS")
    assert link.with_added("x", "1").pairs[-1] == ("x", "1")


def test_mutated_links_use_the_callers_base_strategy() -> None:
    seen: list[dls.MutatedLink] = []

    def mine(**toggles: object) -> st.SearchStrategy[dls.LinkSpec]:
        return dls.link_specs(hosts="only.example.com", **toggles)  # type: ignore[arg-type]

    @settings(max_examples=10, database=None)
    @given(dls.mutated_links([dls.mutation("drop-direct")], base=mine))
    def collect(mutated: dls.MutatedLink) -> None:
        seen.append(mutated)

    collect()
    assert seen
    for mutated in seen:
        assert parse(mutated.url).host == "only.example.com"
        assert mutated.mutation.code == "DL101"
        assert parse(mutated.original.url).direct == "1"
        assert parse(mutated.url).direct is None


def test_unknown_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown dialect"):
        dls.dialect("perl")
    with pytest.raises(ValueError, match="unknown mutation"):
        dls.mutation("nope")


def test_mutations_are_data() -> None:
    names = [m.name for m in dls.MUTATIONS]
    assert len(names) == len(set(names))
    for m in dls.MUTATIONS:
        assert m.code.startswith("DL") and m.description and callable(m.edit)
        assert m.requires <= {"chat", "lang", "signed", "customer", "sdk"}
