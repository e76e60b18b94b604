"""Server-side signers in the integrators' languages, shipped as files in ``validator/snippets/``.

Each snippet is a short, dependency-free file that signs (``sign_direct_link``
or ``signDirectLink``) and builds a link with the values encoded as the
canonical builder writes them. The test suite runs every snippet, in its own
runtime, against every signature test vector.

:func:`fix_lines` names, for a diagnosed mistake, the lines of a snippet that
do what the integrator's code did differently, so ``explain --language``
can point at the fix in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from validator.diagnose import Diagnosis


@dataclass(frozen=True, slots=True)
class Snippet:
    """One language's signer: its file, the names it defines, and where each step is."""

    language: str
    title: str
    file_name: str
    sign_function: str
    build_function: str
    #: Text that finds each step's line in the file (each occurs on exactly one line).
    anchors: dict[str, str]


# The steps a mistake can get wrong; every snippet has a line for each.
SECRET_SOURCE = "secret-source"
INNER = "inner"
OUTER = "outer"
HASH_FUNCTION = "hash-function"
HEX_DIGEST = "hex-digest"
UTF8 = "utf-8"
SIGN_PLAIN_VALUES = "sign-plain-values"
ENCODE_VALUES = "encode-values"

STEPS: tuple[str, ...] = (
    SECRET_SOURCE, INNER, OUTER, HASH_FUNCTION, HEX_DIGEST, UTF8, SIGN_PLAIN_VALUES, ENCODE_VALUES,
)

#: For each mistake of the catalogue, the steps whose lines it got wrong.
MISTAKE_STEPS: dict[str, tuple[str, ...]] = {
    "uppercase-hex": (HEX_DIGEST,),
    "uppercase-inner-digest": (OUTER,),
    "single-md5": (INNER, OUTER),
    "missing-separator": (INNER, OUTER),
    "wrong-separator": (INNER, OUTER),
    "swapped-order": (INNER, OUTER),
    "hmac-md5": (HASH_FUNCTION,),
    "sha1": (HASH_FUNCTION,),
    "sha256": (HASH_FUNCTION,),
    "secret-whitespace": (SECRET_SOURCE,),
    "raw-encoded-values": (SIGN_PLAIN_VALUES,),
    "plus-kept-literal": (ENCODE_VALUES, SIGN_PLAIN_VALUES),
    "non-utf8-encoding": (UTF8,),
    "raw-digest-bytes": (HEX_DIGEST,),
    "other-secret": (SECRET_SOURCE,),
    "other-link-values": (SIGN_PLAIN_VALUES,),
}

_SOURCE = "comes from your server's configuration"
_PLAIN = "sign the plain values, encode after"
_BARE = "only A-Z a-z 0-9 - . _ ~ stay bare"

SNIPPETS: dict[str, Snippet] = {
    snippet.language: snippet
    for snippet in (
        Snippet("python", "Python", "sign_direct_link.py", "sign_direct_link",
                "build_direct_link", {
                    SECRET_SOURCE: _SOURCE,
                    INNER: 'inner = _md5_hex(sbs + "_" + app_secret)',
                    OUTER: 'return _md5_hex(inner + "_" + ranstr)',
                    HASH_FUNCTION: "hashlib.md5(",
                    HEX_DIGEST: ".hexdigest()",
                    UTF8: '.encode("utf-8")',
                    SIGN_PLAIN_VALUES: _PLAIN,
                    ENCODE_VALUES: _BARE,
                }),
        Snippet("node", "Node.js", "signDirectLink.js", "signDirectLink", "buildDirectLink", {
            SECRET_SOURCE: _SOURCE,
            INNER: "const inner = md5Hex(sbs + '_' + appSecret)",
            OUTER: "return md5Hex(inner + '_' + ranstr)",
            HASH_FUNCTION: "createHash('md5')",
            HEX_DIGEST: ".digest('hex')",
            UTF8: "update(text, 'utf8')",
            SIGN_PLAIN_VALUES: _PLAIN,
            ENCODE_VALUES: _BARE,
        }),
        Snippet("php", "PHP", "sign_direct_link.php", "sign_direct_link", "build_direct_link", {
            SECRET_SOURCE: _SOURCE,
            INNER: "$inner = md5($sbs . '_' . $app_secret)",
            OUTER: "return md5($inner . '_' . $ranstr)",
            HASH_FUNCTION: "$inner = md5(",
            HEX_DIGEST: "lower-case hex, not raw bytes",
            UTF8: "must be UTF-8 strings",
            SIGN_PLAIN_VALUES: _PLAIN,
            ENCODE_VALUES: "PHP_QUERY_RFC3986",
        }),
        Snippet("java", "Java", "DirectLink.java", "signDirectLink", "buildDirectLink", {
            SECRET_SOURCE: _SOURCE,
            INNER: 'String inner = md5Hex(sbs + "_" + appSecret)',
            OUTER: 'return md5Hex(inner + "_" + ranstr)',
            HASH_FUNCTION: 'MessageDigest.getInstance("MD5")',
            HEX_DIGEST: 'String.format("%02x", b)',
            UTF8: "getBytes(StandardCharsets.UTF_8)",
            SIGN_PLAIN_VALUES: _PLAIN,
            ENCODE_VALUES: _BARE,
        }),
        Snippet("go", "Go", "directlink.go", "signDirectLink", "buildDirectLink", {
            SECRET_SOURCE: _SOURCE,
            INNER: 'inner := md5Hex(sbs + "_" + appSecret)',
            OUTER: 'return md5Hex(inner + "_" + ranstr)',
            HASH_FUNCTION: "md5.Sum(",
            HEX_DIGEST: "hex.EncodeToString(sum[:])",
            UTF8: "keep it UTF-8",
            SIGN_PLAIN_VALUES: _PLAIN,
            ENCODE_VALUES: _BARE,
        }),
        Snippet("csharp", "C#", "DirectLink.cs", "signDirectLink", "buildDirectLink", {
            SECRET_SOURCE: _SOURCE,
            INNER: 'string inner = Md5Hex(sbs + "_" + appSecret)',
            OUTER: 'return Md5Hex(inner + "_" + ranstr)',
            HASH_FUNCTION: "MD5.Create()",
            HEX_DIGEST: 'b.ToString("x2")',
            UTF8: "Encoding.UTF8.GetBytes(text)",
            SIGN_PLAIN_VALUES: _PLAIN,
            ENCODE_VALUES: _BARE,
        }),
        Snippet("ruby", "Ruby", "direct_link.rb", "sign_direct_link", "build_direct_link", {
            SECRET_SOURCE: _SOURCE,
            INNER: 'inner = md5_hex("#{sbs}_#{app_secret}")',
            OUTER: 'md5_hex("#{inner}_#{ranstr}")',
            HASH_FUNCTION: "Digest::MD5.hexdigest(",
            HEX_DIGEST: "Digest::MD5.hexdigest(",
            UTF8: "text.encode(Encoding::UTF_8)",
            SIGN_PLAIN_VALUES: _PLAIN,
            ENCODE_VALUES: _BARE,
        }),
    )
}

LANGUAGES: tuple[str, ...] = tuple(SNIPPETS)

#: Other names people type for a language.
ALIASES: dict[str, str] = {
    "py": "python",
    "js": "node",
    "javascript": "node",
    "nodejs": "node",
    "node.js": "node",
    "golang": "go",
    "c#": "csharp",
    "cs": "csharp",
    "dotnet": "csharp",
    ".net": "csharp",
    "rb": "ruby",
}


class UnknownLanguage(ValueError):
    """No snippet for this language; the message lists the languages there are."""


def language_of(name: str) -> str:
    """The snippet language for ``name`` (``python``, ``js``, ``C#``...)."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in SNIPPETS:
        raise UnknownLanguage(
            f"no snippet for {name!r}: the languages are {', '.join(LANGUAGES)}"
        )
    return key


def snippet(language: str) -> Snippet:
    """The snippet for ``language`` (any name :func:`language_of` takes)."""
    return SNIPPETS[language_of(language)]


def snippet_text(language: str) -> str:
    """The source of the snippet file for ``language``."""
    item = snippet(language)
    return resources.files("validator").joinpath("snippets", item.file_name).read_text("utf-8")


def step_line(language: str, step: str) -> tuple[int, str]:
    """``(line number, text)`` of the snippet line that does ``step``."""
    item = snippet(language)
    anchor = item.anchors[step]
    for number, line in enumerate(snippet_text(language).splitlines(), start=1):
        if anchor in line:
            return number, line
    raise LookupError(f"the {item.title} snippet has no line for step {step!r}")


def fix_lines(language: str, mistake: str) -> tuple[tuple[int, str], ...]:
    """The snippet lines, in file order, that do right what ``mistake`` does wrong."""
    lines = {step_line(language, step) for step in MISTAKE_STEPS.get(mistake, ())}
    return tuple(sorted(lines))


def fix_in_code(language: str, mistakes: tuple[str, ...]) -> dict[str, object]:
    """Where the snippet for ``language`` does right what each of ``mistakes`` did wrong.

    With no mistake named (an unknown cause), the lines of the two hashing
    steps, to compare one's own code with. Plain data, for JSON and text.
    """
    item = snippet(language)
    fixes: list[dict[str, object]]
    if mistakes:
        fixes = [
            {"hypothesis": mistake, "lines": _lines(fix_lines(language, mistake))}
            for mistake in mistakes
        ]
    else:
        fixes = [{"hypothesis": None, "lines": _lines(
            tuple(sorted({step_line(language, INNER), step_line(language, OUTER)})))}]
    return {
        "language": item.language,
        "title": item.title,
        "file": item.file_name,
        "command": f"directlink snippet {item.language}",
        "fixes": fixes,
    }


def fix_for(language: str | None, diagnosis: Diagnosis) -> dict[str, object] | None:
    """:func:`fix_in_code` for a diagnosed signature, or ``None`` where there is nothing to fix.

    Nothing for no language, a right signature, or one only wrapped in whitespace.
    """
    if language is None or diagnosis.ok or diagnosis.given.strip() == diagnosis.expected:
        return None
    return fix_in_code(language, diagnosis.matches)


def _lines(lines: tuple[tuple[int, str], ...]) -> list[dict[str, object]]:
    return [{"line": number, "text": text} for number, text in lines]
