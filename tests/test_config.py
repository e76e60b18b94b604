"""Configuration: discovery, every key, and errors that name the file and the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from validator import Config, ConfigError, check, load_config
from validator.cli import cli
from validator.config import (
    QR_MAX_URL_LENGTH,
    _may_hold_tool_table,
    config_from_mapping,
    find_config,
)
from validator.rules.selection import check_selectors, configured_severity, selected_rules

B = "https://visitorchat.twt.com/direct/demo_app"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_found_from_a_subdirectory(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.directlink]\nprofile = "legacy"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config = load_config(start=nested)
    assert config.profile == "legacy"
    assert config.source == str(tmp_path / "pyproject.toml")


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.directlink]\ncontext = "qr"\n')
    _write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "x"\n')
    assert load_config(start=tmp_path / "inner").context == "qr"


#: Every way a pyproject.toml can spell the table (the text test must let each through).
TABLE_SPELLINGS = (
    '[tool.directlink]\nprofile = "legacy"\n',
    '[ "tool" . \'directlink\' ]\nprofile = "legacy"\n',
    '  [tool.directlink.severity]\nDL502 = "info"\n[tool.directlink]\nprofile = "legacy"\n',
    '[tool]\ndirectlink = { profile = "legacy" }\n',
    '[tool]\n"directlink".profile = "legacy"\n',
    '[project]\nname = "x"\n\n [ "tool" ]  # tools\n\'directlink\' = { profile = "legacy" }\n',
    'tool.directlink.profile = "legacy"\n',
    'tool = { directlink = { profile = "legacy" } }\n',
    "tool = {x = 1, directlink.profile = 'legacy'}\n",
    '[tool."direct\\u006cink"]\nprofile = "legacy"\n',
    '[tool]\n"\\u0064irectlink" = { profile = "legacy" }\n',
)

#: pyproject.toml files that mention the word but cannot hold the table.
NOT_THE_TABLE = (
    '[project]\nname = "x"\n[tool.ruff]\n',
    '[project]\nname = "directlink-validator"\ndependencies = ["directlink-validator>=1"]\n'
    '[project.scripts]\ndirectlink = "validator.cli:main"\n[tool.setuptools]\n'
    '[[tool.mypy.overrides]]\nmodule = "directlink"\n',
    '[tool.ruff]\n# run directlink too\nselect = ["mydirectlink", "directlinks"]\n',
    '[tools]\ndirectlink = 1\n',
)


@pytest.mark.parametrize("text", TABLE_SPELLINGS)
def test_every_spelling_of_the_table_is_found(tmp_path: Path, text: str) -> None:
    _write(tmp_path / "pyproject.toml", text)
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    assert load_config(start=tmp_path).profile == "legacy"


@pytest.mark.parametrize("text", NOT_THE_TABLE)
def test_a_pyproject_that_cannot_spell_the_table_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    import tomllib

    import validator.config

    assert not validator.config._has_tool_table(tomllib.loads(text))
    parsed: list[str] = []

    def loads_toml(text: str, what: str) -> dict[str, object]:
        parsed.append(text)
        return {}

    monkeypatch.setattr(validator.config, "loads_toml", loads_toml)
    _write(tmp_path / "pyproject.toml", text)
    assert find_config(tmp_path) is None
    assert parsed == []


#: The text test as patterns (its specification): the word as a whole key, and either
#: the key after ``tool`` in a dotted key or header, or a ``[tool]`` header or an inline
#: ``tool = {`` table anywhere.
_KEY = re.compile(r"(?<![A-Za-z0-9_-])directlink(?![A-Za-z0-9_-])")
_AFTER_TOOL = re.compile(r"""(?:tool|"tool"|'tool')\s*\.\s*["']?directlink(?![A-Za-z0-9_-])""")
_TOOL_TABLE = re.compile(
    r"""^\s*\[\[?\s*(?:tool|"tool"|'tool')\s*\]|(?:tool|"tool"|'tool')\s*=\s*\{""", re.MULTILINE
)
_PIECES = ("directlink", "tool", "[", "]", ".", "=", "{", '"', "'", " ", "\n", "\t", "\u00a0",
           "-", "x", "#", "\r\n", "\\")


def _by_patterns(text: str) -> bool:
    if "\\" in text:
        return True
    if _KEY.search(text) is None:
        return False
    return _AFTER_TOOL.search(text) is not None or _TOOL_TABLE.search(text) is not None


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_the_text_test_answers_as_its_patterns(text: str) -> None:
    assert _may_hold_tool_table(text) is _by_patterns(text)


@pytest.mark.parametrize("text", TABLE_SPELLINGS + NOT_THE_TABLE)
def test_the_text_test_answers_as_its_patterns_on_the_examples(text: str) -> None:
    assert _may_hold_tool_table(text) is _by_patterns(text)


def test_a_pyproject_that_may_spell_the_table_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole ``directlink`` key with a ``[tool]`` header anywhere, or a backslash: parsed."""
    for text in ('[tool]\n[project.scripts]\ndirectlink = "validator.cli:main"\n',
                 '[project]\nname = "x"\ndescription = "a \\t b"\n'):
        _write(tmp_path / "pyproject.toml", text)
        assert find_config(tmp_path) is None
        (tmp_path / "pyproject.toml").write_text(text + "[", encoding="utf-8")
        with pytest.raises(ConfigError, match="not valid TOML"):
            find_config(tmp_path)


def test_a_broken_pyproject_that_may_hold_the_table_fails_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DIRECTLINK_APP_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)
    for text in ('[tool]\ndirectlink = { select = ["DL1"\n', '[tool."direct\\u006cink"\n'):
        _write(tmp_path / "pyproject.toml", text)
        with pytest.raises(ConfigError, match="not valid TOML"):
            find_config(tmp_path)
        result = CliRunner().invoke(cli, ["check", B])
        assert result.exit_code == 2
        assert "pyproject.toml:" in result.stderr and "not valid TOML" in result.stderr


def test_directlink_toml_wins_in_the_same_directory(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.directlink]\nprofile = "legacy"\n')
    _write(tmp_path / "directlink.toml", 'profile = "sdk"\n')
    assert load_config(start=tmp_path).profile == "sdk"
    assert find_config(tmp_path) == tmp_path / "directlink.toml"


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(start=tmp_path) == Config()


def test_every_key(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "directlink.toml",
        """
profile = "sdk"
min-ranstr-length = 24
app-id-pattern = "[0-9a-f]{32}"
allowed-app-ids = ["8cba81d468aac01b4f15f8ea4ef33677"]
allowed-hosts = ["visitorchat.twt.com", "*.chattwt.com"]
base-path = "/chat"
select = ["DL1", "language"]
ignore = ["DL106"]
extend-select = ["DL502"]
context = "email"
max-url-length = 1500

[severity]
DL502 = "warning"
non-canonical-lang = "error"
""",
    )
    config = load_config(path)
    assert config.profile == "sdk" and config.min_ranstr_length == 24
    assert config.allowed_hosts == ("visitorchat.twt.com", "*.chattwt.com")
    check_selectors(config)
    assert configured_severity(config, "DL502") == "warning"
    assert configured_severity(config, "DL202") == "error"
    assert configured_severity(config, "DL101") is None
    assert config.url_length_limit == 1500 and config.is_public


def test_explicit_pyproject_path(tmp_path: Path) -> None:
    path = _write(tmp_path / "custom.toml", '[tool.directlink]\nprofile = "legacy"\n')
    assert load_config(path).profile == "legacy"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("colour = 1\n", "colour"),
        ('profile = "klingon"\n', "profile"),
        ("min-ranstr-length = 0\n", "min-ranstr-length"),
        ("min-ranstr-length = true\n", "min-ranstr-length"),
        ('app-id-pattern = "("\n', "app-id-pattern"),
        ('allowed-hosts = "one.example"\n', "allowed-hosts"),
        ('context = "poster"\n', "context"),
        ('base-path = "chat"\n', "base-path"),
        ('[severity]\nDL502 = "fatal"\n', "severity.DL502"),
    ],
)
def test_bad_keys_and_values_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = _write(tmp_path / "directlink.toml", text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert str(path) in message
    assert key in message


SELECTORS_OF_NO_RULE = [
    ('select = ["DL999"]\n', "select: 'DL999' selects no rule"),
    ('ignore = ["no-such-rule"]\n', "ignore: 'no-such-rule' selects no rule"),
    ('extend-select = ["DL9"]\n', "extend-select: 'DL9' selects no rule"),
    ('[per-file-ignores]\n"old/**" = ["DL999"]\n', "per-file-ignores.old/**: 'DL999'"),
    ('[severity]\nDL999 = "error"\n', "severity.DL999: no such rule"),
]


@pytest.mark.parametrize(("text", "problem"), SELECTORS_OF_NO_RULE)
def test_a_selector_of_no_rule_fails_where_the_config_is_applied(
    tmp_path: Path, text: str, problem: str
) -> None:
    """The configuration holds selectors as written; the rules check them, naming the file and
    the key, before any link is judged: from the command line (one line, exit 2) and from the
    Python API alike."""
    path = _write(tmp_path / "directlink.toml", text)
    config = load_config(path)
    expected = f"{path}: {problem}"
    with pytest.raises(ConfigError) as raised:
        check_selectors(config)
    assert str(raised.value).startswith(expected)
    with pytest.raises(ConfigError) as raised:
        check(f"{B}?lang=xx", config=config)
    assert str(raised.value).startswith(expected)
    for command in (["check", "--config", str(path), f"{B}?lang=xx"],
                    ["audit", "--config", str(path), str(tmp_path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, result.output
        assert expected in result.stderr and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1


def test_selector_errors_name_the_table_and_blame_options_or_file(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.directlink]\nignore = ["DL999"]\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml: tool\.directlink\.ignore: 'DL999'"):
        check_selectors(load_config(start=tmp_path))
    runner = CliRunner()
    good = _write(tmp_path / "good" / "directlink.toml", 'select = ["DL1"]\n')
    flag = runner.invoke(cli, ["check", "--config", str(good), "--ignore", "DL998", B])
    assert flag.exit_code == 2
    assert "command-line options: ignore: 'DL998' selects no rule" in flag.stderr
    # A bad file is named as the file even when options change the selection too.
    both = runner.invoke(cli, ["check", "--config", str(tmp_path / "pyproject.toml"),
                               "--select", "DL1", B])
    assert both.exit_code == 2
    assert "tool.directlink.ignore: 'DL999'" in both.stderr
    assert "command-line options" not in both.stderr


def test_a_built_config_with_a_bad_selector_fails_before_any_link() -> None:
    with pytest.raises(ConfigError, match=r"^<config>: select: 'DL999' selects no rule"):
        selected_rules(Config(select=("DL999",)))
    with pytest.raises(ConfigError, match=r"severity\.bogus: no such rule"):
        check(B, config=Config(severity_overrides=(("bogus", "error"),)))


def test_pyproject_keys_are_named_with_their_table(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.directlink]\nunknown = 1\n")
    with pytest.raises(ConfigError, match=r"tool\.directlink\.unknown"):
        load_config(start=tmp_path)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "directlink.toml", "profile = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.toml")


def test_select_ignore_extend_select() -> None:
    per_link, batch = selected_rules(Config(select=("DL1",), ignore=("DL106",)))
    assert [r.code for r in per_link] == ["DL101", "DL102", "DL103", "DL104", "DL105"]
    assert batch == ()
    per_link, _ = selected_rules(Config(select=("DL1",), extend_select=("empty-lang",)))
    assert "DL203" in [r.code for r in per_link]
    report = check(f"{B}?chatid=s1&lang=xx", config=Config(ignore=("DL101",)))
    assert report.codes() == ("DL201",)


def test_severity_override_applies_to_findings() -> None:
    config = config_from_mapping({"severity": {"DL201": "error"}})
    (finding,) = check(f"{B}?lang=xx", config=config).findings
    assert finding.severity == "error"


def test_rules_that_read_the_config() -> None:
    strict = Config(
        app_id_pattern="[0-9a-f]{32}",
        allowed_hosts=("visitor.chattwt.com",),
        base_path="/chat",
        min_ranstr_length=30,
    )
    codes = check(f"{B}?sbs=1&sbs_mm={'a' * 32}&ranstr={'Ab3' * 7}", config=strict).codes()
    assert {"DL003", "DL004", "DL007", "DL304"} <= set(codes)
    assert "DL004" in check(B, config=Config(allowed_app_ids=("other",))).codes()
    assert "DL003" not in check(
        "https://visitor.chattwt.com/chat/direct/demo_app", config=Config(base_path="/chat")
    ).codes()


def test_profile_changes_supported_languages() -> None:
    assert "DL201" in check(f"{B}?lang=ja", config=Config(profile="legacy")).codes()
    assert "DL201" not in check(f"{B}?lang=es", config=Config(profile="sdk")).codes()


def test_qr_context_limit() -> None:
    assert Config(context="qr").url_length_limit == QR_MAX_URL_LENGTH
    assert Config(context="qr", max_url_length=900).url_length_limit == 900


def test_explicit_pyproject_without_the_table_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool\.directlink\] table"):
        load_config(path)
