"""Encoding rules (DL5xx): exact messages, spans, fixes and near misses."""

from __future__ import annotations

import pytest
from rule_helpers import only

from validator import Config
from validator.model import Finding
from validator.rules.encoding import suggest_param

B = "https://visitorchat.twt.com/direct/demo_app"
SIG = "&sbs_mm=0cc175b9c0f1b6a831c399e269772661&ranstr=Qm9yTnx3aWZpLXN0YXI"


def fix_of(finding: Finding) -> tuple[object, ...] | None:
    fix = finding.fix
    return None if fix is None else (fix.description, fix.safe, fix.edits, fix.replacements)


# DL501 ---------------------------------------------------------------------


def test_exact_duplicate_is_dropped_safely() -> None:
    [finding] = only(f"{B}?chatid=s1&x=1&chatid=s1", "DL501")
    assert finding.severity == "warning"
    assert (finding.param, finding.span) == ("chatid", (58, 67))
    assert finding.message == "chatid appears again with the same value 's1'"
    assert fix_of(finding) == ("drop the repeated pair", True, (("chatid", None),),
                               (((57, 67), ""),))


def test_differing_duplicates_keep_the_first_unsafely() -> None:
    second, third = only(f"{B}?chatid=s1&chatid=s2&chatid=s3", "DL501")
    message = "chatid appears again: browsers read the first 's1', the SDK the last ('s3')"
    assert (second.span, second.message) == ((54, 63), message)
    assert (third.span, third.message) == ((64, 73), message)
    assert fix_of(second) == ("keep only the first chatid", False, (("chatid", None),),
                              (((54, 64), ""),))
    assert fix_of(third) == ("keep only the first chatid", False, (("chatid", None),),
                             (((63, 73), ""),))
    assert only(f"{B}?chatid=s1&x=s1", "DL501") == []


# DL502 / DL503 -------------------------------------------------------------


def test_unknown_keys_are_reported_once_each() -> None:
    findings = only(f"{B}?session=s1&session=s2&x&=3&chatId=1&secret=1&sbs=1", "DL502")
    assert [(f.param, f.span, f.message, f.severity) for f in findings] == [
        ("session", (44, 51), "the page does not know the parameter 'session'", "info"),
        ("x", (66, 67), "the page does not know the parameter 'x'", "info"),
    ]


def test_keys_other_rules_report_are_not_unknown() -> None:
    # A forbidden SDK key (DL601), a secret-like name (DL309), a misspelling (DL503).
    url = f"{B}?secret=1&App-Secret=2&chatId=1&randstr=2&visitor_id=v&source=s&direct=1"
    assert only(url, "DL502") == []


@pytest.mark.parametrize(
    ("name", "known"),
    [("chatId", "chatid"), ("CHAT-ID", "chatid"), ("Chat_Id", "chatid"), ("Lang", "lang"),
     ("sbsmm", "sbs_mm"), ("SBS-MM", "sbs_mm"), ("sbs_mn", "sbs_mm"), ("randstr", "ranstr"),
     ("nicknme", "nickname"),
     ("direc", "direct"), ("Direkt", "direct"), ("ranstrxy", "ranstr"), ("PHONe", "phone")],
)
def test_misspellings_name_the_known_key(name: str, known: str) -> None:
    assert suggest_param(name) == known


@pytest.mark.parametrize(
    "name", ["chatid", "", "nickn", "abcdefg", "ranstrxyz", "secret", "app_secret", "AppSecret",
             "visitor_id", "Source", "la", "sb", "mode"],
)
def test_no_suggestion_for_known_far_short_or_secret_names(name: str) -> None:
    # Names under 5 characters (sbs, lang) are only matched ignoring case, '-' and '_'.
    assert suggest_param(name) is None


def test_distance_is_counted_on_both_sides_of_the_band() -> None:
    # Two deletions, two insertions, two substitutions: each within the limit.
    assert suggest_param("nicknam") == "nickname"
    assert suggest_param("nickme") == "nickname"
    assert suggest_param("nicknameab") == "nickname"
    assert suggest_param("xicknamx") == "nickname"
    assert suggest_param("nickna") == "nickname"
    # Three edits are too many.
    assert suggest_param("xicknxmx") is None
    assert suggest_param("nicknameabc") is None
    assert suggest_param("nickn") is None


def test_misspelled_key_is_renamed_unless_the_known_key_is_there() -> None:
    [finding] = only(f"{B}?direct=1&chatId=s1", "DL503")
    assert finding.severity == "warning"
    assert (finding.param, finding.span) == ("chatId", (53, 59))
    assert finding.message == "unknown parameter 'chatId': did you mean 'chatid'?"
    assert fix_of(finding) == ("rename 'chatId' to 'chatid'", False,
                               (("chatId", None), ("chatid", "s1")), (((53, 59), "chatid"),))
    [kept] = only(f"{B}?chatId=x&chatid=y", "DL503")
    assert kept.span == (44, 50)
    assert kept.fix is None


# DL504 ---------------------------------------------------------------------


def test_stray_percent_signs_are_written_as_percent_25() -> None:
    first, second = only(f"{B}?name=100%&x=%zz%4&ok=%41&direct=1", "DL504")
    message = "'%' not followed by two hex digits (browsers keep it, the SDK rejects the URL)"
    assert first.severity == "warning"
    assert (first.param, first.span, first.message) == ("name", (52, 53), f"name: {message}")
    assert fix_of(first) == ("write % as %25", True, (), (((52, 53), "%25"),))
    assert (second.param, second.span, second.message) == ("x", (56, 57), f"x: {message}")
    assert fix_of(second) == ("write % as %25", True, (),
                              (((56, 57), "%25"), ((59, 60), "%25")))


def test_stray_percent_in_a_key_or_a_keyless_pair() -> None:
    [key] = only(f"{B}?na%me=1", "DL504")
    assert (key.param, key.span) == ("na%me", (46, 47))
    assert key.message.startswith("na%me: '%'")
    [keyless] = only(f"{B}?=%", "DL504")
    assert keyless.span == (45, 46)
    assert keyless.message.startswith("a pair: '%'")


def test_well_formed_escapes_and_fragments_are_not_stray() -> None:
    assert only(f"{B}?name=%41%e9%FF&x=%25", "DL504") == []
    assert only(f"{B}#x=%zz", "DL504") == []
    assert only(B, "DL504") == []


# DL505 ---------------------------------------------------------------------


def test_bytes_that_are_not_utf8() -> None:
    findings = only(f"{B}?name=%D5%C5&x=%FF&%FF=1&%FFa=%FF&y=%C3%A9", "DL505")
    assert [(f.param, f.span, f.severity, f.message) for f in findings] == [
        ("name", (49, 55), "error",
         "'name': the %-escaped bytes of its value are not UTF-8; the page sees '\ufffd\ufffd'"),
        ("x", (58, 61), "warning",
         "'x': the %-escaped bytes of its value are not UTF-8; the page sees '\ufffd'"),
        ("\ufffd", (62, 65), "warning",
         "'%FF': the %-escaped bytes of its name are not UTF-8; the page sees '\ufffd'"),
        ("\ufffda", (73, 76), "warning",
         "'%FFa': the %-escaped bytes of its value are not UTF-8; the page sees '\ufffd'"),
    ]


def test_a_written_replacement_character_is_valid_utf8() -> None:
    assert only(f"{B}?name=%EF%BF%BD", "DL505") == []
    assert only(f"{B}?name=\ufffd%41", "DL505") == []
    assert only(f"{B}?name=\ufffd", "DL505") == []


def test_bad_bytes_after_a_written_replacement_character_are_still_found() -> None:
    [finding] = only(f"{B}?x=%EF%BF%BD&name=%D5%C5", "DL505")
    assert (finding.param, finding.span, finding.severity) == ("name", (61, 67), "error")


# DL506 ---------------------------------------------------------------------


def test_empty_pieces_and_keyless_pairs_are_removed() -> None:
    findings = only(f"{B}?=v&direct=1&&chatid=s1&=w&", "DL506")
    assert [(f.span, f.message, f.severity, fix_of(f)) for f in findings] == [
        ((44, 46), "pair '=v' has no key (the SDK rejects it)", "info",
         ("remove the pair", True, (), (((44, 47), ""),))),
        ((56, 57), "empty pair in the query (the SDK rejects it)", "info",
         ("remove the extra '&'", True, (), (((56, 57), ""),))),
        ((67, 69), "pair '=w' has no key (the SDK rejects it)", "info",
         ("remove the pair", True, (), (((67, 70), ""),))),
        ((69, 70), "empty pair in the query (the SDK rejects it)", "info",
         ("remove the extra '&'", True, (), (((69, 70), ""),))),
    ]
    assert only(f"{B}?a==1&b=", "DL506") == []


# DL507 ---------------------------------------------------------------------


def test_raw_unsafe_characters_per_region() -> None:
    url = "https://visitorchat.twt.com/direct/demo app?name=Ann Lee&x=<b>#frag ment"
    findings = only(url, "DL507")
    cut = "mail and chat apps cut or mangle such links"
    assert [(f.param, f.span, f.message, fix_of(f)) for f in findings] == [
        (None, (39, 40), f"raw space in the path: {cut}",
         ("percent-encode them", True, (), (((39, 40), "%20"),))),
        ("name", (52, 53), f"raw space in name: {cut}",
         ("percent-encode them", True, (), (((52, 53), "%20"),))),
        ("x", (59, 62), f"raw '<', '>' in x: {cut}",
         ("percent-encode them", True, (), (((59, 60), "%3C"), ((61, 62), "%3E")))),
        (None, (67, 68), f"raw space in the fragment: {cut}",
         ("percent-encode them", True, (), (((67, 68), "%20"),))),
    ]
    assert findings[0].severity == "warning"


def test_raw_characters_in_the_host_are_left_alone() -> None:
    [finding] = only("https://visitor\x7fchat.twt.com/direct/demo_app", "DL507")
    assert finding.span == (15, 16)
    assert finding.message.startswith("raw U+007F in the host:")
    assert finding.fix is None


def test_tabs_inside_the_link_are_deleted_and_others_encoded() -> None:
    [finding] = only(f"{B}?x=1\t2\n3\r4%5é\"'", "DL507")
    assert finding.param == "x"
    assert finding.message == (
        "raw tab, newline, carriage return, 'é', '\"', \"'\" in x: "
        "mail and chat apps cut or mangle such links"
    )
    assert fix_of(finding) == ("percent-encode them", True, (), (
        ((47, 48), ""), ((49, 50), ""), ((51, 52), ""), ((55, 56), "%C3%A9"),
        ((56, 57), "%22"), ((57, 58), "%27")))


def test_raw_characters_in_a_keyless_pair_and_the_query() -> None:
    [pair] = only(f"{B}?=a b", "DL507")
    assert pair.message.startswith("raw space in a pair:")
    assert pair.param == ""
    [query] = only(f"{B}?|", "DL507")
    assert query.message.startswith("raw '|' in |:")


def test_lone_surrogate_is_written_as_the_replacement_character() -> None:
    [finding] = only(f"{B}?x=\ud800{{}}^`\\", "DL507")
    assert finding.message.startswith("raw U+D800, '{', '}', '^', '`', '\\\\' in x:")
    assert fix_of(finding) == ("percent-encode them", True, (), (
        ((46, 47), "%EF%BF%BD"), ((47, 48), "%7B"), ((48, 49), "%7D"), ((49, 50), "%5E"),
        ((50, 51), "%60"), ((51, 52), "%5C")))


def test_raw_brackets_in_values_are_encoded_pair_by_pair() -> None:
    # A link of the everyday shape: the screen reports it, the rule must agree.
    url = f"{B}?direct=1&name=<b>&chatid=s1&nickname=a{{c}}>"
    name, nickname = only(url, "DL507")
    lt = url.index("<")
    assert (name.param, name.span) == ("name", (lt, lt + 3))
    assert name.message == "raw '<', '>' in name: mail and chat apps cut or mangle such links"
    assert fix_of(name) == ("percent-encode them", True, (),
                            (((lt, lt + 1), "%3C"), ((lt + 2, lt + 3), "%3E")))
    brace = url.index("{")
    assert (nickname.param, nickname.span) == ("nickname", (brace, brace + 4))
    assert nickname.message.startswith("raw '{', '}', '>' in nickname:")
    assert fix_of(nickname) == ("percent-encode them", True, (), (
        ((brace, brace + 1), "%7B"), ((brace + 2, brace + 3), "%7D"),
        ((brace + 3, brace + 4), "%3E")))


def test_whitespace_around_the_whole_link_is_not_unsafe() -> None:
    assert only(f"  {B}?name=Ann\t\n", "DL507") == []
    assert only(f"{B}?name=Ann%20Lee&x=~!*()", "DL507") == []


# DL508 ---------------------------------------------------------------------


def test_double_encoded_values_are_decoded_once_more() -> None:
    findings = only(f"{B}?email=ann%2540example.com&x=%25zz&y=%2541%2542", "DL508")
    assert [(f.param, f.span, f.message, f.severity, fix_of(f)) for f in findings] == [
        ("email", (50, 69),
         "email='ann%40example.com' still holds %-escapes after decoding (encoded twice?); "
         "meant 'ann@example.com'?", "warning",
         ("decode once more", False, (), (((50, 69), "ann%40example.com"),))),
        ("y", (80, 90),
         "y='%41%42' still holds %-escapes after decoding (encoded twice?); meant 'AB'?",
         "warning", ("decode once more", False, (), (((80, 90), "AB"),))),
    ]


# DL509 ---------------------------------------------------------------------


def test_the_length_limit_and_its_boundary() -> None:
    at_limit = f"{B}?name=" + "a" * (2000 - len(B) - 6)
    assert len(at_limit) == 2000
    assert only(at_limit, "DL509") == []
    [over] = only(f"  {at_limit}b  ", "DL509")
    assert over.severity == "warning"
    assert over.span == (2002, 2003)
    assert over.message == "the link is 2001 characters, longer than the limit of 2000"


def test_the_qr_and_configured_limits() -> None:
    url = f"{B}?name=" + "a" * 252
    assert len(url) == 301
    [qr] = only(url, "DL509", Config(context="qr"))
    assert (qr.span, qr.message) == (
        (300, 301), "the link is 301 characters, longer than the limit of 300")
    assert only(url[:-1], "DL509", Config(context="qr")) == []
    [configured] = only(B, "DL509", Config(max_url_length=40))
    assert configured.span == (40, 43)


# DL510 ---------------------------------------------------------------------


def test_surrounding_whitespace_is_stripped() -> None:
    url = f"{B}?direct=%201&chatid=s1%20&lang=%20&sbs=a%09&x=%20y%20&sbs_mm=%20a"
    findings = only(url, "DL510")
    assert [(f.param, f.span, f.message, fix_of(f)) for f in findings] == [
        ("direct", (51, 55), "direct=' 1' has surrounding whitespace",
         ("strip the whitespace", False, (), (((51, 55), "1"),))),
        ("chatid", (63, 68), "chatid='s1 ' has surrounding whitespace",
         ("strip the whitespace", False, (), (((63, 68), "s1"),))),
        ("sbs", (82, 86), "sbs='a\\t' has surrounding whitespace",
         ("strip the whitespace", False, (), (((82, 86), "a"),))),
        ("sbs_mm", (104, 108), "sbs_mm=' a' has surrounding whitespace",
         ("strip the whitespace", False, (), (((104, 108), "a"),))),
    ]
    assert findings[0].severity == "warning"
    assert only(f"{B}?name=%20Ann%20&chatid=s1", "DL510") == []


def test_the_first_of_repeated_values_is_judged() -> None:
    [finding] = only(f"{B}?chatid=s1%20&chatid=s2", "DL510")
    assert finding.span == (51, 56)
    assert only(f"{B}?chatid=s1&chatid=s2%20", "DL510") == []


# DL511 ---------------------------------------------------------------------


def test_placeholders_in_the_app_id_a_value_and_the_fragment() -> None:
    url = "https://visitorchat.twt.com/direct/{APP}?chatid={SESSION_ID}#{{x}}"
    findings = only(url, "DL511")
    assert [(f.param, f.span, f.message, f.severity) for f in findings] == [
        (None, (35, 40), "app id '{APP}' is an unexpanded template placeholder", "error"),
        ("chatid", (48, 60),
         "chatid='{SESSION_ID}': '{SESSION_ID}' is an unexpanded template placeholder",
         "error"),
        (None, (61, 66), "'{{x}}' is an unexpanded template placeholder", "error"),
    ]


def test_placeholders_in_the_path_and_decoded_values() -> None:
    [path] = only("https://visitorchat.twt.com/{base}/direct/demo_app?x=1#a", "DL511")
    assert (path.span, path.message) == ((28, 34), "'{base}' is an unexpanded template placeholder")
    value, fragment = only(f"{B}?x=%7Bsbs%7D#y={{z}}", "DL511")
    assert (value.param, value.span) == ("x", (46, 55))
    assert value.message == "x='{sbs}': '{sbs}' is an unexpanded template placeholder"
    assert (fragment.span, fragment.message) == (
        (58, 61), "'{z}' is an unexpanded template placeholder")
    assert only(f"{B}?x=1&chatid=s1#top", "DL511") == []


def test_each_value_holding_a_placeholder_is_reported() -> None:
    url = f"{B}?direct=1&lang=en&name={{{{first}}}}&chatid=s1&nickname=%3Cnick%3E"
    name, nickname = url.index("{{"), url.index("%3C")
    assert [(f.param, f.span) for f in only(url, "DL511")] == [
        ("name", (name, name + len("{{first}}"))),
        ("nickname", (nickname, len(url)))]


def test_a_raw_placeholder_in_the_query_is_judged_by_its_decoded_value() -> None:
    # '{x}' written raw in a key is reported once, for the value it decodes to.
    findings = only(f"{B}?name={{x}}", "DL511")
    assert [(f.param, f.span) for f in findings] == [("name", (49, 52))]


# DL512 ---------------------------------------------------------------------


def test_clients_that_read_values_differently() -> None:
    [plus] = only(f"{B}?name=a+b", "DL512")
    assert plus.severity == "warning"
    assert (plus.param, plus.span, plus.client) == ("name", (44, 52), "sdk")
    assert plus.message == "name: a browser reads 'a b', the native SDK 'a+b'"
    [last] = only(f"{B}?name=a+b&name=c", "DL512")
    assert last.span == (53, 59)
    assert last.message == "name: a browser reads 'a b', the native SDK 'c'"
    [same] = only(f"{B}?x=a+b&x=a+b", "DL512")
    assert same.span == (50, 55)


def test_divergence_names_the_view_identity_and_language() -> None:
    [chat] = only(f"{B}?direct=1&chatid=s1&chatid=s2", "DL512")
    assert chat.span == (63, 72)
    assert chat.message == (
        "chatid: a browser reads 's1', the native SDK 's2'; "
        "the browser opens session 's1', the app session 's2'"
    )
    [home] = only(f"{B}?direct=1&direct=0&chatid=s1", "DL512")
    assert home.message == (
        "direct: a browser reads '1', the native SDK '0'; "
        "the browser opens session 's1', the app the home page"
    )
    [lang] = only(f"{B}?lang=ja&lang=en", "DL512")
    assert lang.message == (
        "lang: a browser reads 'ja', the native SDK 'en'; language ja in a browser, en in the app"
    )


def test_divergence_of_the_signed_identity() -> None:
    from validator.signature import sign

    signature = sign("john doe", "Qm9yTnx3aWZpLXN0YXI", "s3cret")
    url = f"{B}?sbs=john+doe&sbs_mm={signature}&ranstr=Qm9yTnx3aWZpLXN0YXI"
    [finding] = only(url, "DL512", secret="s3cret")
    assert finding.message == (
        "sbs: a browser reads 'john doe', the native SDK 'john+doe'; "
        "identity verified in a browser, rejected in the app"
    )


def test_the_sdk_rejecting_the_link() -> None:
    [bad] = only(f"{B}?x=%zz", "DL512")
    assert (bad.span, bad.param, bad.client) == ((44, 49), None, "sdk")
    assert bad.message == (
        "the SDK rejects 'x=%zz': a malformed %-escape or bytes that are not UTF-8; "
        "a browser opens it"
    )
    [empty] = only(f"{B}?direct=1&&chatid=s1", "DL512")
    assert empty.span == (53, 54)
    assert empty.message == "the SDK rejects an empty pair in the query (&&); a browser opens it"


def test_no_divergence_where_the_clients_agree() -> None:
    assert only(f"{B}?name=a%20b&direct=1&chatid=s1", "DL512") == []
    assert only("not a url", "DL512") == []
    assert only(f"{B}{SIG}&sbs=42", "DL512") == []


# Boundaries the first mutation run showed unpinned ---------------------------


@pytest.mark.parametrize(
    ("name", "known"),
    [("ckname", "nickname"), ("atid", "chatid"),  # two characters missing in front
     ("mynickname", "nickname"), ("xxemail", "email"),  # two characters too many in front
     ("ctaid", "chatid")],  # a swap and a deletion: chat_id is three edits away
)
def test_edits_at_the_front_of_a_name(name: str, known: str) -> None:
    assert suggest_param(name) == known


def test_a_pair_whose_text_moved_is_marked_whole_without_a_fix() -> None:
    # The browser drops the tab, so the pair's raw text is shorter than its span.
    [finding] = only(f"{B}?name=1\t0%", "DL504")
    assert finding.span == (44, 53)
    assert finding.fix is None


def test_stray_percent_signs_only_count_before_two_hex_digits() -> None:
    [finding] = only(f"{B}?x=%zz&y=%af%FF%0a", "DL504")
    assert finding.param == "x"


def test_valid_pairs_before_bytes_that_are_not_utf8() -> None:
    findings = only(f"{B}?a=1&b=%41&x=%FF", "DL505")
    assert [(f.param, f.span) for f in findings] == [("x", (56, 59))]


def test_every_lone_surrogate_is_written_as_the_replacement_character() -> None:
    [finding] = only(f"{B}?x=\udfff\udbff", "DL507")
    assert finding.fix is not None
    assert finding.fix.replacements == (((46, 47), "%EF%BF%BD"), ((47, 48), "%EF%BF%BD"))


def test_a_caret_alone_is_unsafe() -> None:
    [finding] = only(f"{B}?x=^", "DL507")
    assert finding.message.startswith("raw '^' in x:")


def test_unsafe_characters_after_leading_whitespace() -> None:
    [finding] = only(f"  {B}?name=a b ", "DL507")
    assert finding.span == (52, 53)


def test_regions_at_their_edges() -> None:
    cut = "mail and chat apps cut or mangle such links"
    [first_host] = only("https://\x7fvisitorchat.twt.com/direct/demo_app", "DL507")
    assert (first_host.span, first_host.message) == ((8, 9), f"raw U+007F in the host: {cut}")
    assert first_host.fix is None
    [after_host] = only("https://visitorchat.twt.com\\direct/demo_app", "DL507")
    assert (after_host.span, after_host.message) == ((27, 28), f"raw '\\\\' in the path: {cut}")
    assert after_host.fix is not None
    [fragment] = only(f"{B}#<x", "DL507")
    assert (fragment.span, fragment.message) == ((44, 45), f"raw '<' in the fragment: {cut}")
    [between] = only(f"{B}?a=1&\tb=2", "DL507")
    assert (between.span, between.message) == ((48, 49), f"raw tab in the query: {cut}")


def test_the_host_starts_after_the_last_at_sign_of_the_user_info() -> None:
    cut = "mail and chat apps cut or mangle such links"
    [user] = only("https://a@b\x7f@visitorchat.twt.com/direct/demo_app", "DL507")
    assert (user.span, user.message) == ((11, 12), f"raw U+007F in the user info: {cut}")
    assert user.fix is not None
    assert user.fix.replacements == (((11, 12), "%7F"),)
    [host] = only("https://a@visitor\x7fchat.twt.com/direct/demo_app?email=a@b", "DL507")
    assert (host.span, host.message) == ((17, 18), f"raw U+007F in the host: {cut}")
    assert host.fix is None
    [plain] = only("https://visitor\x7fchat.twt.com/direct/demo_app?email=a@b", "DL507")
    assert (plain.span, plain.message) == ((15, 16), f"raw U+007F in the host: {cut}")
    # The user info's first character, and the host's first right after the '@'.
    [first_user] = only("https://\x7fa@visitorchat.twt.com/direct/demo_app", "DL507")
    assert (first_user.span, first_user.message) == ((8, 9), f"raw U+007F in the user info: {cut}")
    assert first_user.fix is not None
    [first_host] = only("https://a@\x7fvisitorchat.twt.com/direct/demo_app", "DL507")
    assert (first_host.span, first_host.message) == ((10, 11), f"raw U+007F in the host: {cut}")
    assert first_host.fix is None
    # An empty host: the '\\' right after the '@' is where the path starts, not user info.
    [after_at] = only("https://a@\\visitorchat.twt.com/direct/demo_app", "DL507")
    assert (after_at.span, after_at.message) == ((10, 11), f"raw '\\\\' in the path: {cut}")


def test_the_length_limit_ignores_surrounding_whitespace() -> None:
    at_limit = f"{B}?name=" + "a" * (2000 - len(B) - 6)
    assert only(f"   {at_limit}   ", "DL509") == []


def test_query_placeholders_are_judged_once_and_the_fragment_still_is() -> None:
    # A placeholder in the query is judged on the decoded values; the fragment's is raw.
    [finding] = only(f"{B}?{{x}}=1#{{y}}", "DL511")
    assert finding.span == (50, 53)
    assert finding.message == "'{y}' is an unexpanded template placeholder"
    path, fragment = only("https://visitorchat.twt.com/{base}/direct/demo_app#{y}", "DL511")
    assert (path.span, fragment.span) == ((28, 34), (51, 54))
    [before_query] = only("https://visitorchat.twt.com/{base}?x=1", "DL511")
    assert before_query.span == (28, 34)


def test_divergence_after_pairs_both_clients_read_alike() -> None:
    [finding] = only(f"{B}?x=1&name=a+b", "DL512")
    assert (finding.param, finding.span) == ("name", (48, 56))


def test_the_sdk_reads_the_last_of_three() -> None:
    [finding] = only(f"{B}?name=a&name=b&name=c", "DL512")
    assert finding.span == (58, 64)
    assert finding.message == "name: a browser reads 'a', the native SDK 'c'"


def test_consequences_are_named_only_for_the_keys_that_decide_them() -> None:
    findings = only(f"{B}?name=a+b&direct=1&chatid=a+b", "DL512")
    assert [f.message for f in findings] == [
        "name: a browser reads 'a b', the native SDK 'a+b'",
        "chatid: a browser reads 'a b', the native SDK 'a+b'; "
        "the browser opens session 'a b', the app session 'a+b'",
    ]
    [unsigned] = only(f"{B}?sbs=john+doe", "DL512")
    assert unsigned.message == "sbs: a browser reads 'john doe', the native SDK 'john+doe'"


def test_two_consequences_are_joined() -> None:
    url = f"{B}?direct=1&chatid=s1&chatid=s2&lang=ja&lang=en"
    chat, lang = only(url, "DL512")
    both = ("the browser opens session 's1', the app session 's2'; "
            "language ja in a browser, en in the app")
    assert chat.message == f"chatid: a browser reads 's1', the native SDK 's2'; {both}"
    assert lang.message == f"lang: a browser reads 'ja', the native SDK 'en'; {both}"


def test_a_repeated_signature_field_changes_the_identity_in_the_app() -> None:
    from validator.signature import sign

    right = sign("42", "Qm9yTnx3aWZpLXN0YXI", "s3cret")
    rejected = "identity verified in a browser, rejected in the app"
    [ranstr] = only(f"{B}?sbs=42&sbs_mm={right}&ranstr=Qm9yTnx3aWZpLXN0YXI&ranstr=other",
                    "DL512", secret="s3cret")
    assert ranstr.message == (
        f"ranstr: a browser reads 'Qm9yTnx3aWZpLXN0YXI', the native SDK 'other'; {rejected}"
    )
    [sbs_mm] = only(f"{B}?sbs=42&sbs_mm={right}&ranstr=Qm9yTnx3aWZpLXN0YXI&sbs_mm={M32}",
                    "DL512", secret="s3cret")
    assert sbs_mm.message == (
        f"sbs_mm: a browser reads {right!r}, the native SDK {M32!r}; {rejected}"
    )


M32 = "0cc175b9c0f1b6a831c399e269772661"


def test_backslashes_before_the_host_and_a_tab_after_a_pair() -> None:
    cut = "mail and chat apps cut or mangle such links"
    [slashes] = only("https:\\\\visitorchat.twt.com/direct/demo_app", "DL507")
    assert (slashes.span, slashes.message) == ((6, 8), f"raw '\\\\' in the path: {cut}")
    assert slashes.fix is not None
    [tab] = only(f"{B}?a=1\t&b=2", "DL507")
    assert (tab.span, tab.param, tab.message) == ((47, 48), None, f"raw tab in the query: {cut}")
