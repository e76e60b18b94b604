"""Structure rules (DL0xx): exact messages, spans, fixes and near misses."""

from __future__ import annotations

from validator import Config, check
from validator.model import Finding

H = "https://visitorchat.twt.com/direct/"
B = H + "demo_app"
CLEAR = "is not https: the SDK refuses the link and the signature travels in clear text"
USERINFO = "the URL carries user info (user:pass@): credentials leak and the SDK rejects it"


def only(url: str, code: str, config: Config | None = None) -> list[Finding]:
    return [f for f in check(url, config=config).findings if f.code == code]


def test_text_that_is_not_a_url() -> None:
    [finding] = only("not a url", "DL001")
    assert finding.severity == "error"
    assert finding.span == (0, 9)
    assert finding.message == "not a URL a browser can open: no scheme: not an absolute URL"
    assert only(B, "DL001") == []


def test_http_is_rewritten_to_https_unsafely() -> None:
    [finding] = only("http://visitorchat.twt.com/direct/demo_app", "DL002")
    assert finding.severity == "error"
    assert finding.span == (0, 4)
    assert finding.message == f"scheme 'http' {CLEAR}"
    assert finding.fix is not None
    assert (finding.fix.description, finding.fix.safe) == ("use https", False)
    assert finding.fix.replacements == (((0, 4), "https"),)


def test_other_schemes_have_no_fix() -> None:
    [finding] = only("ftp://visitorchat.twt.com/direct/demo_app", "DL002")
    assert finding.span == (0, 3)
    assert finding.message == f"scheme 'ftp' {CLEAR}"
    assert finding.fix is None
    assert only(B, "DL002") == []
    assert only("not a url", "DL002") == []


def test_a_path_that_is_not_direct() -> None:
    [finding] = only("https://visitorchat.twt.com/chat/demo_app", "DL003")
    assert finding.severity == "error"
    assert finding.span == (27, 41)
    assert finding.message == (
        "path '/chat/demo_app' is not <base>/direct/<app_id>: the chat page is not reached"
    )
    assert only("not a url", "DL003") == []


def test_base_path_against_the_configured_one() -> None:
    [other] = only("https://visitorchat.twt.com/x/direct/demo_app", "DL003",
                   Config(base_path="/y/"))
    assert other.span == (27, 45)
    assert other.message == "base path '/x' is not the configured '/y/'"
    [missing] = only(B, "DL003", Config(base_path="/y"))
    assert missing.span == (27, 43)
    assert missing.message == "base path '/' is not the configured '/y'"
    assert only("https://visitorchat.twt.com/y/direct/demo_app", "DL003",
                Config(base_path="/y/")) == []
    assert only("https://visitorchat.twt.com/y/direct/demo_app", "DL003") == []


def test_empty_and_malformed_app_ids() -> None:
    [empty] = only(H, "DL004")
    assert empty.severity == "error"
    assert (empty.span, empty.message) == ((35, 35), "the app id after /direct/ is empty")
    [bad] = only(H + "demo%20app", "DL004")
    assert bad.span == (35, 45)
    assert bad.message == "app id 'demo%20app' has characters outside A-Za-z0-9_-"


def test_app_id_against_the_configured_pattern_and_list() -> None:
    [pattern] = only(B, "DL004", Config(app_id_pattern="[a-z]+"))
    assert pattern.span == (35, 43)
    assert pattern.message == "app id 'demo_app' does not match the configured pattern '[a-z]+'"
    [listed] = only(B, "DL004", Config(allowed_app_ids=("other",)))
    assert listed.message == "app id 'demo_app' is not in allowed-app-ids"
    assert only(B, "DL004", Config(app_id_pattern="[a-z_]+", allowed_app_ids=("demo_app",))) == []
    # A well-formed placeholder is DL511's alone.
    assert only(H + "YOUR_APP", "DL004", Config(allowed_app_ids=("a",))) == []
    assert only("https://visitorchat.twt.com/chat/demo_app", "DL004") == []


def test_user_info_is_marked_up_to_the_last_at() -> None:
    for url, end in [("https://u@visitorchat.twt.com/direct/demo_app", 10),
                     ("https://:p@visitorchat.twt.com/direct/demo_app", 11),
                     ("https://a@b:c@visitorchat.twt.com/direct/demo_app", 14)]:
        [finding] = only(url, "DL005")
        assert finding.severity == "error"
        assert finding.span == (8, end)
        assert finding.message == USERINFO
        assert finding.fix is not None
        assert (finding.fix.description, finding.fix.safe) == ("remove the user info", False)
        assert finding.fix.replacements == (((8, end), ""),)
    assert only(B, "DL005") == []


def test_known_fragment_params_move_into_a_new_query() -> None:
    first, second = only(f"{B}#direct=1&x=2&chatid=s1", "DL006")
    assert first.severity == "warning"
    assert (first.param, first.span) == ("direct", (44, 52))
    assert first.message == "'direct' sits after '#': the page does not read it"
    assert first.fix is not None
    assert (first.fix.description, first.fix.safe) == ("move 'direct=1' into the query", False)
    assert first.fix.replacements == (((43, 43), "?direct=1"), ((44, 53), ""))
    assert (second.param, second.span) == ("chatid", (57, 66))
    assert second.fix is not None
    assert second.fix.replacements == (((43, 43), "?chatid=s1"), ((56, 66), ""))


def test_fragment_params_join_an_existing_or_empty_query() -> None:
    [joined] = only(f"{B}?lang=ja#x=1&direct=1", "DL006")
    assert joined.fix is not None
    assert joined.fix.replacements == (((51, 51), "&direct=1"), ((55, 64), ""))
    [empty] = only(f"{B}?#chatid=s1", "DL006")
    assert empty.fix is not None
    assert empty.fix.replacements == (((44, 44), "chatid=s1"), ((45, 54), ""))
    [alone] = only(f"{B}#chatid=s1", "DL006")
    assert alone.fix is not None
    assert alone.fix.replacements == (((43, 43), "?chatid=s1"), ((44, 53), ""))
    assert only(f"{B}#direct-links", "DL006") == []


def test_host_outside_the_allow_list_is_marked_after_the_user_info() -> None:
    url = "https://u@VisitorChat.TWT.com/direct/demo_app"
    [finding] = only(url, "DL007", Config(allowed_hosts=("a.com", "b.*")))
    assert finding.severity == "warning"
    assert finding.span == (10, 29)
    assert finding.message == "host 'visitorchat.twt.com' is not in allowed-hosts (a.com, b.*)"
    [plain] = only(B, "DL007", Config(allowed_hosts=("a.com",)))
    assert plain.span == (8, 27)


def test_allowed_hosts_match_case_insensitively_with_wildcards() -> None:
    assert only(B, "DL007", Config(allowed_hosts=("*.TWT.COM",))) == []
    assert only(B, "DL007", Config(allowed_hosts=("a.com", "visitorchat.twt.com"))) == []
    assert only(B, "DL007") == []
    assert only("not a url", "DL007", Config(allowed_hosts=("a.com",))) == []


def test_trailing_slash_is_removed() -> None:
    [finding] = only(f"{B}/?direct=1&chatid=s1", "DL008")
    assert finding.severity == "warning"
    assert finding.span == (43, 44)
    assert finding.message == "the path ends in '/' after the app id"
    assert finding.fix is not None
    assert (finding.fix.description, finding.fix.safe) == ("remove the trailing slash", True)
    assert finding.fix.replacements == (((43, 44), ""),)
    assert only(B, "DL008") == []


def test_a_root_base_path_and_one_ending_in_other_characters() -> None:
    assert only(B, "DL003", Config(base_path="/")) == []
    assert only("https://visitorchat.twt.com/X/direct/demo_app", "DL003",
                Config(base_path="/X")) == []
    [other] = only("https://visitorchat.twt.com/X/direct/demo_app", "DL003", Config(base_path="/"))
    assert other.message == "base path '/X' is not the configured '/'"


def test_an_app_id_outside_the_list_is_marked_on_the_app_id() -> None:
    [listed] = only(f"{B}?direct=1", "DL004", Config(allowed_app_ids=("other",)))
    assert listed.span == (35, 43)


def test_an_at_sign_after_the_authority_is_not_user_info() -> None:
    [finding] = only("https://u@visitorchat.twt.com/direct/demo_app?email=a@b", "DL005")
    assert finding.span == (8, 10)
    assert finding.fix is not None
    assert finding.fix.replacements == (((8, 10), ""),)


def test_the_host_follows_the_last_at_sign_of_the_authority() -> None:
    hosts = Config(allowed_hosts=("x.com",))
    [two] = only("https://a@b@visitorchat.twt.com/direct/demo_app", "DL007", hosts)
    assert two.span == (12, 31)
    [query] = only(f"{B}?email=a@b", "DL007", hosts)
    assert query.span == (8, 27)
