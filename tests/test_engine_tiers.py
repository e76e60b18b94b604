"""The screen (tier one) never changes a verdict: both tiers give the same reports.

``check(text)`` lets the screen answer for links of the everyday shape;
``check(parse(text))`` always runs the full engine. On generated, mutated,
hand-mutated and corpus links, with and without secrets and under several
configurations, both must give the same findings (code, name, severity, span,
parameter, client, message, fix), the same parsed link and the same outcomes.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import check, parse
from validator import strategies as dls
from validator.config import Config
from validator.engine.lazy import LazyFinding, LazyReport
from validator.model import Finding, Report
from validator.rules import RULES
from validator.signature import Secret, sign

SECRET = Secret("bench-secret-0123456789")
OTHER = Secret("staging-secret-9876543210")
BASE = "https://visitorchat.twt.com/direct/8cba81d468aac01b4f15f8ea4ef33677"
RANSTR = "Qm9yTnx3aWZpLXN0YXI"
CORPORA = Path(__file__).resolve().parent.parent / "corpora"

CONFIGS = [
    Config(),
    Config(profile="sdk"),
    Config(profile="legacy", min_ranstr_length=24),
    Config(context="public"),
    Config(ignore=("DL312",)),
    Config(select=("DL3",)),
    Config(severity_overrides=(("DL312", "warning"),)),
    Config(allowed_hosts=("visitorchat.twt.com",)),
    Config(max_url_length=120),
]


def _signed(sbs: str, ranstr: str = RANSTR, secret: Secret = SECRET) -> str:
    return f"sbs={sbs}&sbs_mm={sign(sbs, ranstr, secret)}&ranstr={ranstr}"


SEEDS = [
    f"{BASE}?direct=1&chatid=c1&lang=en",
    f"{BASE}?direct=1&chatid=c1&lang=pt-BR&nickname=Ann%20Lee",
    f"{BASE}?direct=1&chat_id=c1&lang=xx&name=Jos%C3%A9",
    f"{BASE}?direct=1&chatid=c1&lang=en&{_signed('u1')}&name=Ann&email=ann%40example.com"
    "&phone=%2B8613800001234",
    f"{BASE}?{_signed('u2', secret=OTHER)}&email=user2%40example.com",
    f"{BASE}?lang=ZH-tw&{_signed('42')}",
    f"https://chat.example.com/support/direct/demo_app?direct=1&chatid=s-9&{_signed('u3')}",
    f"{BASE}?direct=1&chatid=c1&customer_remark=vip%20customer&source_title=Shop%2FCart",
    f"{BASE}?direct=1&chatid=c1&lang=en&sbs=u4&sbs_mm={'0' * 32}&ranstr={RANSTR}",
    # The session mistakes the screen reports itself: DL101, DL102, DL103.
    f"{BASE}?chatid=c1&lang=pt-BR&{_signed('u5')}",
    f"{BASE}?chat_id=c%C3%A91&name=Ann",
    f"{BASE}?direct=true&chatid=c1&lang=en",
    f"{BASE}?lang=xx&direct=0",
    f"{BASE}?direct=1&email=ann%40example.com",
    # The signature's shape the screen reports itself: DL302, DL304, DL305.
    f"{BASE}?direct=1&chatid=c1&ranstr=abc&name=Ann&email=ann%40example.com",
    f"{BASE}?sbs_mm={'a1' * 16}&ranstr={RANSTR}&lang=en",
    f"{BASE}?direct=1&chatid=c1&{_signed('u6', ranstr='1700000000000000')}",
    f"{BASE}?{_signed('u7', ranstr='abcdefghijklmnopq')}&nickname=Bo",
    f"{BASE}?direct=1&chatid=c1&{_signed('u8', ranstr='x7')}",
    # Placeholders, raw <>{} and a malformed sbs_mm, which the screen reports too:
    # DL511, DL507, DL306 (with the diagnosis where the app's secret is known).
    f"{BASE}?direct=1&chatid={{SESSION_ID}}&lang=en",
    f"{BASE}?direct=1&chatid=c1&sbs={{{{sbs}}}}&sbs_mm={'0' * 32}&ranstr={RANSTR}",
    f"{BASE}?direct=1&chatid=%7B%7Bchat%7D%7D&name=%3Cname%3E&nickname=${{nick}}",
    f"{BASE}?direct=1&chatid=c1&name=YOUR_NAME&nickname=%59OUR_NICK",
    f"{BASE}?direct=1&chatid=:chatid&nickname=a<b>c&name=x}}y",
    f"{BASE}?direct=1&chatid=c1&sbs=u9&sbs_mm={'0C' * 16}&ranstr={RANSTR}",
    f"{BASE}?sbs=u10&sbs_mm={sign('u10', RANSTR, SECRET)[:31]}x&ranstr={RANSTR}&lang=en",
    f"{BASE}?sbs_mm={'AB' * 20}&lang=en&nickname=%3cnick%3e",
    f"{BASE}?direct=1&chatid=c1&{_signed('{{user}}')}&name=Ann",
]
#: What the hand mutations put at every position of every seed.
INSERTIONS = ["+", "%", "%2", "%25", "%FF", "&", "=", " ", "#", "{", "}>", "YOUR", "0x", "%20",
              "\t"]


def tiers(text: str, **options: object) -> tuple[Report, Report]:
    """The report with the screen allowed, and the full engine's."""
    return check(text, **options), check(parse(text), **options)  # type: ignore[arg-type]


def _finding_fields(finding: Finding) -> tuple[object, ...]:
    return (
        finding.code, finding.name, finding.severity, finding.span, finding.param,
        finding.client, finding.message, finding.fix,
    )


def assert_same(text: str, **options: object) -> bool:
    """Both tiers agree on ``text``; returns whether the screen answered."""
    fast, full = tiers(text, **options)
    assert [_finding_fields(f) for f in fast.findings] == [
        _finding_fields(f) for f in full.findings
    ], text
    # What an audit record reads of the link, which the screen answers without a parse.
    assert fast.link_parts() == full.link_parts(), text
    for name in {param.name for param in full.link.params} | {"sbs", "ranstr", "lang"}:
        assert fast.value(name) == full.value(name), (text, name)
    assert fast.link == full.link, text
    assert dict(fast.outcomes) == dict(full.outcomes), text
    assert fast == full and full == fast
    return isinstance(fast, LazyReport)


def secret_options(text: str) -> Iterator[dict[str, object]]:
    yield {}
    yield {"secret": SECRET}
    yield {"secret": OTHER, "known_secrets": [SECRET]}
    app_id = parse(text).app_id
    if app_id:
        yield {"secrets": {app_id: SECRET}, "secret": OTHER}


def mutations(seed: str) -> Iterator[str]:
    """``seed`` with each insertion at every third position from the host on, and deletions."""
    for position in range(8, len(seed) + 1, 3):
        for insertion in INSERTIONS:
            yield seed[:position] + insertion + seed[position:]
        yield seed[:position] + seed[position + 1 :]


def test_seeds_and_their_mutations_agree_under_every_configuration() -> None:
    screened = total = 0
    for seed in SEEDS:
        for config in CONFIGS:
            for options in secret_options(seed):
                screened += assert_same(seed, config=config, **options)
                total += 1
        for mutated in mutations(seed):
            for options in ({}, {"secret": SECRET}):
                screened += assert_same(mutated, **options)
                total += 1
    # Not vacuous: the screen answered for a good share, and left a good share over.
    assert 0.05 * total < screened < 0.95 * total


def test_the_screen_answers_for_healthy_links() -> None:
    for seed in SEEDS:
        for options in secret_options(seed):
            assert isinstance(check(seed, **options), LazyReport), seed  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["https://chat.example.com/YOUR_BASE/direct/demo_app?direct=1&chatid={id}",
     "https://chat.example.com/direct/Your_App_Id?direct=1&chatid=c1&name=%7Bx%7D",
     "https://chat.example.com/direct/YOUR_APP_ID?direct=1&chatid=c1"],
)
def test_a_placeholder_in_the_path_is_left_to_the_full_engine(text: str) -> None:
    for options in secret_options(text):
        assert not assert_same(text, **options), text


def test_rule_examples_and_corpus_links_agree() -> None:
    texts = [text for rule in RULES for text in (rule.bad, rule.good)]
    for path in sorted((CORPORA / "fuzz" / "parse_check").iterdir()):
        texts.append(path.read_bytes().decode("utf-8", "replace"))
    for text in texts:
        for options in secret_options(text):
            assert_same(text, **options)


@given(dls.link_specs(), st.sampled_from(CONFIGS))
def test_generated_links_agree(link: dls.LinkSpec, config: Config) -> None:
    url = link.url
    assert_same(url, config=config)
    if link.secret is not None:
        assert_same(url, secret=link.secret, config=config)
        assert_same(url, secret=OTHER, config=config)


@given(dls.valid_links())
def test_valid_links_agree(url: str) -> None:
    for options in secret_options(url):
        assert_same(url, **options)


@given(dls.mutated_links())
def test_mutated_links_agree(mutated: dls.MutatedLink) -> None:
    assert_same(mutated.url)
    if mutated.secret is not None:
        assert_same(mutated.url, secret=mutated.secret)
    config = Config(**dict(mutated.mutation.config))  # type: ignore[arg-type]
    assert_same(mutated.url, secret=mutated.secret, config=config)


@given(dls.link_like_text())
def test_link_like_text_agrees(text: str) -> None:
    assert_same(text, secret=SECRET)


def test_lazy_findings_build_their_message_once_and_on_read_only() -> None:
    calls: list[str] = []

    def make(value: str) -> tuple[str, None]:
        calls.append(value)
        return f"message {value}", None

    finding = LazyFinding("DL312", "unsigned-customer-fields", "info", (1, 2), "name", make,
                          ("x",))
    assert finding.code == "DL312" and finding.span == (1, 2)
    assert calls == []
    assert finding.message == "message x" and finding.message == "message x"
    assert calls == ["x"]
    plain = Finding("DL312", "unsigned-customer-fields", "info", "message x", (1, 2), "name")
    assert finding == plain and plain == finding and hash(finding) == hash(plain)
    assert pickle.loads(pickle.dumps(finding)) == plain
    assert type(pickle.loads(pickle.dumps(finding))) is Finding


def test_lazy_reports_pickle_and_compare_as_plain_reports() -> None:
    text = SEEDS[3]
    fast, full = tiers(text, secret=SECRET)
    assert isinstance(fast, LazyReport)
    copy = pickle.loads(pickle.dumps(fast))
    assert type(copy) is Report and copy == full
    assert fast.ok == full.ok and fast.worst() == full.worst() and fast.codes() == full.codes()
    assert fast.outcome == full.outcome


def test_mismatch_message_is_built_when_read() -> None:
    text = f"{BASE}?direct=1&chatid=c1&{_signed('u9', secret=OTHER)}"
    report = check(text, secret=SECRET)
    (mismatch,) = [f for f in report.findings if f.code == "DL307"]
    assert isinstance(mismatch, LazyFinding) and not mismatch.built
    assert "does not match" in mismatch.message
    assert mismatch.fix is not None


@pytest.mark.parametrize("text", SEEDS)
def test_check_many_agrees_with_check(text: str) -> None:
    from validator import check_many

    (report,) = check_many([text], secret=SECRET)
    assert report == check(text, secret=SECRET)


def _batches() -> Iterator[list[str]]:
    """Runs of links where ranstr values repeat: across links, within the same link given
    twice, between screened and fully checked links, and once only."""
    shared = "Qm9yTnx3aWZpLXN0YXIx"
    signed = [f"{BASE}?direct=1&chatid=c{i}&{_signed(f'u{i}', ranstr=shared)}" for i in range(3)]
    weak = f"{BASE}?direct=1&chatid=c9&{_signed('u9', ranstr='abc')}"
    yield [*signed, SEEDS[0]]
    yield [signed[0], signed[0], SEEDS[3]]  # the same link twice is one use
    yield [signed[1], signed[1] + "&theme=dark", weak, weak.replace("c9", "c8")]
    yield [SEEDS[3], SEEDS[5], SEEDS[6], SEEDS[3] + "#x", *SEEDS]
    yield [*(seed + "&" for seed in SEEDS[:3]), *SEEDS[:3]]


@pytest.mark.parametrize("links", list(_batches()))
@pytest.mark.parametrize("config", [Config(), CONFIGS[3], CONFIGS[6], Config(ignore=("DL310",))])
def test_check_many_screens_and_agrees_with_the_full_engine(links: list[str],
                                                            config: Config) -> None:
    from validator import check_many

    for options in ({}, {"secret": SECRET}, {"secret": OTHER, "known_secrets": [SECRET]}):
        fast = check_many(links, config=config, **options)  # type: ignore[arg-type]
        full = check_many([parse(link) for link in links], config=config,
                          **options)  # type: ignore[arg-type]
        assert len(fast) == len(full) == len(links)
        for one, other in zip(fast, full, strict=True):
            assert [_finding_fields(f) for f in one.findings] == [
                _finding_fields(f) for f in other.findings
            ]
            assert one.link == other.link and dict(one.outcomes) == dict(other.outcomes)
        if config == Config():
            assert any(isinstance(report, LazyReport) for report in fast)


@given(st.lists(dls.valid_links(), min_size=2, max_size=6), st.booleans())
def test_check_many_of_generated_runs_agrees_with_the_full_engine(links: list[str],
                                                                  repeat: bool) -> None:
    from validator import check_many

    if repeat:
        links = [*links, links[0]]
    fast = check_many(links, secret=SECRET)
    full = check_many([parse(link) for link in links], secret=SECRET)
    assert [[_finding_fields(f) for f in r.findings] for r in fast] == [
        [_finding_fields(f) for f in r.findings] for r in full
    ]


def test_check_parsed_keeps_the_parse_and_agrees() -> None:
    from validator.check import check_parsed

    for seed in SEEDS:
        for text in [seed, *list(mutations(seed))[::7]]:
            parsed = parse(text)
            for secret in (None, SECRET):
                fast = check_parsed(text, parsed, secret=secret, secrets={}, config=Config())
                assert fast == check(parsed, secret=secret)
                if isinstance(fast, LazyReport):
                    assert fast.link is parsed
    with pytest.raises(ValueError):
        report = check(SEEDS[0])
        assert isinstance(report, LazyReport)
        report.adopt(parse(SEEDS[1]))
