"""Property: a secret written into a link, in any encoding dialect, never comes back.

For random secrets (Unicode, reserved characters, spaces, ``+``) written into
a parameter of a valid link the way each dialect of
:data:`validator.strategies.DIALECTS` writes it, no output of ``check``,
``fix``, ``explain`` and ``audit`` in any format, and no answer of the HTTP
service, contains the secret in a spelling the input holds (as written, or
decoded), nor the full inner digest ``md5(sbs + "_" + secret)``. The same for
customer data under ``--redact-pii``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from validator import spec
from validator import strategies as dls
from validator.cli import cli

#: Fewer examples than the profile's: each one runs every command in every format.
EXAMPLES = max(3, settings().max_examples // 6)
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
ENV = "DIRECTLINK_APP_SECRET"
CHECK_FORMATS = ("text", "json", "jsonl", "sarif", "junit", "github", "html")
AUDIT_FORMATS = ("text", "json", "jsonl", "sarif", "junit", "github", "html")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

#: Letters of every script, digits, punctuation, symbols, the space, reserved characters.
_SECRET_CHARS = st.one_of(
    st.characters(categories=("L", "N", "P", "S")),
    st.sampled_from(list(" +:/?#[]@!$&'()*,;=%~")),
)
#: Bounded by letters so the secret survives the secret sources' trimming of blanks.
secrets = st.text(_SECRET_CHARS, min_size=8, max_size=20).map(lambda text: f"K{text}q")
carriers = st.sampled_from(("token", spec.NAME, spec.CUSTOMER_REMARK, "next"))


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def spellings_in(url: str, secret: str, dialect: dls.Dialect) -> set[str]:
    """The spellings of ``secret`` the input holds, and how JSON and HTML escape them."""
    written = dialect.encode(secret)
    forms = {secret, written} if written in url else {secret}
    for form in list(forms):
        forms.add(json.dumps(form)[1:-1])
        forms.add(json.dumps(form, ensure_ascii=False)[1:-1])
        forms.add(html.escape(form, quote=True))
    return forms


def forbidden(url: str, secret: str, dialect: dls.Dialect, sbs: str | None) -> set[str]:
    forms = spellings_in(url, secret, dialect)
    if sbs is not None:
        inner = md5(f"{sbs}_{secret}")
        forms |= {inner, inner.upper()}
    return forms


@functools.cache
def boilerplate() -> str:
    """What every format prints for a link that holds no secret and no customer data.

    A generated value that is a word of it (``Reason``, a header of the HTML
    report) would be found there without having leaked, so such examples are
    left out rather than called a leak.
    """
    plain = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=plain-1&lang=en"
    # And one with findings and fixes: the words a finding is written with (``client``...).
    faulty = "https://visitorchat.twt.com/direct/demo_app?chatid=plain-2&lang=pt-BR"
    outputs = [run(["check", "--format", output_format, plain, faulty], "unused-secret-1")
               for output_format in CHECK_FORMATS]
    with tempfile.TemporaryDirectory() as folder:
        links = Path(folder) / "links.txt"
        links.write_text(f"{plain}\n{faulty}\n", encoding="utf-8")
        for output_format in AUDIT_FORMATS:
            report = Path(folder) / f"report.{output_format}"
            run(["audit", str(links), "--jobs", "1", "--format", output_format,
                 "--output", str(report)], "unused-secret-1")
            outputs.append(report.read_text(encoding="utf-8"))
    return "\n".join(outputs)


def assume_not_boilerplate(forms: set[str]) -> None:
    assume(not any(form in boilerplate() for form in forms))


def assert_clean(text: str, forms: set[str], where: str) -> None:
    plain = _ANSI.sub("", text)
    for form in forms:
        assert form not in text and form not in plain, f"{where}: {form!r} leaked"


@st.composite
def leaking_links(draw: st.DrawFn) -> tuple[str, str, dls.Dialect, str | None]:
    """A valid signed link with the secret written into one of its parameters."""
    secret = draw(secrets)
    dialect = draw(dls.dialects())
    base = draw(dls.link_specs(dialect=dialect, secret=secret, signed=True, chat=True))
    carrier = draw(carriers)
    value = draw(st.sampled_from((secret, f"pre-{secret}", f"{secret} post")))
    edited = base.with_added(carrier, value)
    sbs = edited.get(spec.SBS)
    if draw(st.booleans()) and sbs is not None:
        # The full inner digest written into the link (a debug parameter) is as bad.
        edited = edited.with_added("debug", md5(f"{sbs}_{secret}"))
    return edited.url, secret, dialect, sbs


def run(args: list[str], secret: str, *, stdin: str | None = None) -> str:
    result = CliRunner().invoke(cli, args, env={ENV: secret}, input=stdin)
    assert result.exit_code in (0, 1), (args[:1], result.exit_code, result.output[-400:])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.output


@PROPERTY
@given(case=leaking_links())
def test_check_and_fix_never_print_a_secret_written_into_a_link(
        case: tuple[str, str, dls.Dialect, str | None]) -> None:
    url, secret, dialect, sbs = case
    forms = forbidden(url, secret, dialect, sbs)
    assume_not_boilerplate(forms)
    for output_format in CHECK_FORMATS:
        out = run(["check", "--format", output_format, url], secret)
        assert_clean(out, forms, f"check --format {output_format}")
    out = run(["check", "--fix", "--unsafe-fixes", url], secret)
    assert_clean(out, forms, "check --fix")
    out = run(["fix", "--unsafe-fixes", "--show-fixes", url], secret)
    assert_clean(out, forms, "fix")
    for output_format in ("text", "json"):
        out = run(["explain", "--format", output_format, url], secret)
        assert_clean(out, forms, f"explain --format {output_format}")


@PROPERTY
@given(case=leaking_links())
def test_audit_never_prints_a_secret_written_into_a_link(
        case: tuple[str, str, dls.Dialect, str | None], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, secret, dialect, sbs = case
    forms = forbidden(url, secret, dialect, sbs)
    assume_not_boilerplate(forms)
    root = tmp_path_factory.mktemp("audit")
    (root / "links.txt").write_text(f"see {url}\n", encoding="utf-8")
    for output_format in AUDIT_FORMATS:
        report = root / f"report.{output_format}"
        out = run(["audit", str(root / "links.txt"), "--jobs", "1", "--format", output_format,
                   "--output", str(report)], secret)
        assert_clean(out, forms, f"audit --format {output_format} (terminal)")
        assert_clean(report.read_text(encoding="utf-8"), forms, f"audit --format {output_format}")


@PROPERTY
@given(case=leaking_links())
def test_the_service_never_answers_with_a_secret_written_into_a_link(
        case: tuple[str, str, dls.Dialect, str | None]) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from validator.service import create_app
    from validator.service.settings import ServiceSettings
    from validator.signature import Secret

    url, secret, dialect, sbs = case
    forms = forbidden(url, secret, dialect, sbs)
    assume_not_boilerplate(forms)
    client = TestClient(create_app(ServiceSettings(default_secret=Secret(secret))))
    for path, body in (
        ("/v1/check", {"link": url}),
        ("/v1/check-many", {"links": [url, url]}),
        ("/v1/fix", {"link": url, "unsafe": True}),
        ("/v1/explain", {"link": url}),
        ("/v1/qr", {"link": url}),
    ):
        answer = client.post(path, json=body)
        assert answer.status_code < 500, path
        assert_clean(answer.text, forms, path)


# Customer data under --redact-pii ---------------------------------------------------


@st.composite
def customer_links(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    """A valid link with customer fields; their decoded values and their spellings in it."""
    dialect = draw(dls.dialects())
    link = draw(dls.link_specs(dialect=dialect, customer=True, sdk=True))
    remark = draw(st.text(_SECRET_CHARS, min_size=6, max_size=16).map(lambda t: f"R{t}x"))
    link = link.with_value(spec.CUSTOMER_REMARK, remark)
    decoded = [value for name, value in link.pairs
               if name in (*spec.CUSTOMER_FIELDS, spec.CUSTOMER_REMARK) and len(value) >= 6]
    written = [dialect.encode(value) for value in decoded]
    return link.url, decoded, written


@PROPERTY
@given(case=customer_links())
def test_redact_pii_masks_customer_data_in_every_format(
        case: tuple[str, list[str], list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, decoded, written = case
    forms = {form for form in (*decoded, *written)}
    forms |= {json.dumps(form)[1:-1] for form in decoded}
    forms |= {html.escape(form, quote=True) for form in decoded}
    assume_not_boilerplate(forms)
    for output_format in CHECK_FORMATS:
        out = run(["check", "--redact-pii", "--format", output_format, url], "unused-secret-1")
        assert_clean(out, forms, f"check --redact-pii --format {output_format}")
    root = tmp_path_factory.mktemp("pii")
    (root / "links.txt").write_text(f"{url}\n", encoding="utf-8")
    for output_format in AUDIT_FORMATS:
        report = root / f"report.{output_format}"
        run(["audit", str(root / "links.txt"), "--jobs", "1", "--redact-pii", "--format",
             output_format, "--output", str(report)], "unused-secret-1")
        assert_clean(report.read_text(encoding="utf-8"), forms,
                     f"audit --redact-pii --format {output_format}")


def test_the_property_sees_a_leak() -> None:
    """The detector is not blind: an unmasked link fails it, in its written spelling."""
    secret = "Kab:c(d)*é x!~'Zq"
    dialect = dls.dialect("js-encodeURIComponent")
    url = f"https://visitorchat.twt.com/direct/demo_app?token={dialect.encode(secret)}"
    with pytest.raises(AssertionError):
        assert_clean(f"echo {url}", forbidden(url, secret, dialect, None), "sample")
    with pytest.raises(AssertionError):
        assert_clean("name: Kab:c(d)*é x!~'Zq", forbidden(url, secret, dialect, None), "sample")


def test_the_secret_of_the_issue_is_masked_in_check_text_with_underlines(tmp_path: Path) -> None:
    secret = "ab:c(d)*é x!~'Zq"
    for dialect in dls.DIALECTS:
        url = ("https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=7"
               f"&token={dialect.encode(secret)}")
        forms = forbidden(url, secret, dialect, None)
        for output_format in CHECK_FORMATS:
            out = run(["check", "--format", output_format, url], secret)
            assert "DL309" in out or output_format == "html", (dialect.name, output_format)
            assert_clean(out, forms, f"{dialect.name} check --format {output_format}")
