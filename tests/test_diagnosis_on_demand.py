"""Diagnosis on demand: the first cause equals the full diagnosis', built only when read."""

from __future__ import annotations

from hypothesis import given

from validator import check
from validator import strategies as dls
from validator.diagnose import UNKNOWN_CAUSE, diagnose_signature, signature_cause
from validator.engine.lazy import LazyFinding
from validator.signature import Secret, md5_hex, sign

SECRET = Secret("5e3c1a9b7d2f4e6a8c0b1d3f5a7c9e2b")
RANSTR = "Qm9yTnx3aWZpLXN0YXI"
SIGNATURE_MUTATIONS = [m for m in dls.MUTATIONS if m.code in ("DL306", "DL307")]


def assert_same_cause(sbs: str, ranstr: str, sbs_mm: str, **batch: object) -> None:
    diagnosis = diagnose_signature(sbs, ranstr, sbs_mm, SECRET, **batch)  # type: ignore[arg-type]
    cause = signature_cause(sbs, ranstr, sbs_mm, SECRET, **batch)  # type: ignore[arg-type]
    if diagnosis.ok:
        assert cause is None
        return
    assert cause is not None
    assert cause.headline == diagnosis.headline
    assert cause.hypothesis == (diagnosis.matches[0] if diagnosis.matches else None)


def test_known_mistakes_give_the_diagnosis_headline() -> None:
    right = sign("42", RANSTR, SECRET)
    cases = [
        right,
        right.upper(),
        f" {right} ",
        sign("42", RANSTR, "another-secret"),
        md5_hex(f"{md5_hex('42_' + SECRET.reveal())}-{RANSTR}"),
        md5_hex(f"42_{SECRET.reveal()}_{RANSTR}"),
        "0" * 32,
    ]
    for sbs_mm in cases:
        assert_same_cause("42", RANSTR, sbs_mm)
        assert_same_cause("42", RANSTR, sbs_mm, batch=[f"https://h/direct/a?sbs=7&ranstr={RANSTR}"])
    unknown = signature_cause("42", RANSTR, "0" * 32, SECRET)
    assert unknown is not None and unknown.hypothesis is None
    assert unknown.headline == UNKNOWN_CAUSE


@given(dls.mutated_links(SIGNATURE_MUTATIONS, secret=SECRET))
def test_mutated_signatures_give_the_diagnosis_headline(mutated: dls.MutatedLink) -> None:
    link = mutated.url
    report = check(link, secret=SECRET)
    parsed = report.link
    if parsed.sbs is None or parsed.ranstr is None or parsed.sbs_mm is None:
        return
    assert_same_cause(parsed.sbs, parsed.ranstr, parsed.sbs_mm)


def test_signature_findings_diagnose_when_read() -> None:
    link = (
        "https://visitorchat.twt.com/direct/demo_app?sbs=42&ranstr=Qm9yTnx3aWZpLXN0YXI"
        f"&sbs_mm={sign('42', RANSTR, SECRET).upper()}"
    )
    report = check(link, secret=SECRET)
    (finding,) = [f for f in report.findings if f.code == "DL306"]
    assert isinstance(finding, LazyFinding) and not finding.built
    assert "upper-case" in finding.message
    assert finding.fix is not None
