"""The documented contract of direct links, as data.

Every other module reads parameter names, language profiles and limits from
here, so that a change to the product's documentation is a change in one place.
"""

from __future__ import annotations

from typing import Final

# Parameters --------------------------------------------------------------

DIRECT: Final = "direct"
CHATID: Final = "chatid"
CHAT_ID_ALIAS: Final = "chat_id"
LANG: Final = "lang"
SBS: Final = "sbs"
SBS_MM: Final = "sbs_mm"
RANSTR: Final = "ranstr"
NAME: Final = "name"
NICKNAME: Final = "nickname"
EMAIL: Final = "email"
PHONE: Final = "phone"

THEME: Final = "theme"
IS_APP: Final = "is_app"
CUSTOMER_REMARK: Final = "customer_remark"
EXT_FK_ID: Final = "ext_fk_id"
REFERER: Final = "referer"
REFERER_URL: Final = "referer_url"
SOURCE_TITLE: Final = "source_title"

#: The chat id keys, in the order the page prefers them.
CHAT_ID_KEYS: Final = (CHATID, CHAT_ID_ALIAS)

#: Customer fields the agent sees; the signature covers none of them.
CUSTOMER_FIELDS: Final = (NAME, NICKNAME, EMAIL, PHONE)

#: Parameters of the public "Direct Link" documentation, in canonical order.
DOCUMENTED_PARAMS: Final = (
    DIRECT,
    CHATID,
    CHAT_ID_ALIAS,
    LANG,
    SBS,
    SBS_MM,
    RANSTR,
    NAME,
    NICKNAME,
    EMAIL,
    PHONE,
)

#: Parameters the native SDKs add or document, in canonical order.
SDK_PARAMS: Final = (
    THEME,
    IS_APP,
    CUSTOMER_REMARK,
    EXT_FK_ID,
    REFERER,
    REFERER_URL,
    SOURCE_TITLE,
)

#: Every key the page knows.
KNOWN_PARAMS: Final = frozenset(DOCUMENTED_PARAMS + SDK_PARAMS)

#: The order the builder writes parameters in (``chat_id`` is written as ``chatid``).
CANONICAL_ORDER: Final = (*(p for p in DOCUMENTED_PARAMS if p != CHAT_ID_ALIAS), *SDK_PARAMS)

#: Parameters the SDK documentation says never to send.
FORBIDDEN_SDK_PARAMS: Final = frozenset({"visitor_id", "source"})

#: Parameter names that suggest a secret was put in the link.
SECRET_LIKE_NAMES: Final = frozenset({"secret", "app_secret", "appsecret"})

#: Parameters the signature is computed over, and its companions.
SIGNATURE_PARAMS: Final = (SBS, SBS_MM, RANSTR)

#: Parameters whose surrounding whitespace changes what the page does.
WHITESPACE_SENSITIVE_PARAMS: Final = (DIRECT, CHATID, CHAT_ID_ALIAS, LANG, SBS, SBS_MM, RANSTR)

THEMES: Final = frozenset({"light", "dark", "system"})
DIRECT_VALUE: Final = "1"
IS_APP_VALUE: Final = "1"

# Languages ----------------------------------------------------------------

#: The nine codes of the current "Direct Link" page.
DEFAULT_LANGUAGES: Final = ("zh-cn", "zh-tw", "en", "ja", "ko", "de", "fr", "pt", "ru")
#: The older "URL Parameters" page.
LEGACY_LANGUAGES: Final = ("zh-cn", "zh-tw", "en")
#: The fifteen codes the native SDK accepts.
SDK_LANGUAGES: Final = (*DEFAULT_LANGUAGES, "es", "vi", "th", "id", "ms", "tl")

LANGUAGE_PROFILES: Final[dict[str, tuple[str, ...]]] = {
    "default": DEFAULT_LANGUAGES,
    "legacy": LEGACY_LANGUAGES,
    "sdk": SDK_LANGUAGES,
}

FALLBACK_LANGUAGE: Final = "en"

LANGUAGE_NAMES: Final[dict[str, str]] = {
    "zh-cn": "简体中文",
    "zh-tw": "繁體中文",
    "en": "English",
    "ja": "日本語",
    "ko": "한국어",
    "de": "Deutsch",
    "fr": "Français",
    "pt": "Português",
    "ru": "Русский",
    "es": "Español",
    "vi": "Tiếng Việt",
    "th": "ไทย",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    "tl": "Tagalog",
}

# Structure and limits -----------------------------------------------------

DIRECT_SEGMENT: Final = "direct"
APP_ID_CHARACTERS: Final = r"[A-Za-z0-9_-]+"
SECURE_SCHEME: Final = "https"
DEFAULT_BASE: Final = "https://visitorchat.twt.com"
PRODUCTION_HOSTS: Final = ("visitorchat.twt.com", "visitor.chattwt.com")

#: What browsers strip from both ends of a URL before parsing it (C0 controls and space).
C0_CONTROL_OR_SPACE: Final = "".join(chr(c) for c in range(0x21))

MIN_RANSTR_LENGTH: Final = 16
MAX_URL_LENGTH: Final = 2000

#: Contexts a link is published in; they change DL313, DL403 and DL509.
CONTEXTS: Final = ("private", "public", "qr", "email")
PUBLIC_CONTEXTS: Final = frozenset({"public", "qr", "email"})

# Resource limits -----------------------------------------------------------
#
# One constant per limit; every reader, the API, the CLI and the service take
# theirs from here, and docs/limits.md lists them. Each is enforced before the
# work it bounds, with a message that names it.

#: The longest link the validator reads (browsers cut far shorter ones: DL509).
#: ``check()`` refuses a longer one with :class:`LinkTooLongError`; the extractors
#: never carry a longer candidate.
MAX_LINK_CHARS: Final = 65536

#: Findings of one rule listed for one link; the last one listed says how many
#: more there are (a link of 16,384 ``&`` has 16,384 empty pairs, not 16,384 lines).
MAX_FINDINGS_PER_RULE: Final = 100

#: Bytes of one request body the service reads. The request schemas below are
#: sized so that every body the OpenAPI document allows fits, even with every
#: character JSON-escaped (``\ud83d\ude00``: 12 bytes for one character).
MAX_REQUEST_BODY_BYTES: Final = 1024 * 1024

#: The longest link of a one-link request (``/v1/check``, ``/v1/fix``, ``/v1/explain``).
MAX_REQUEST_LINK_CHARS: Final = 16384

#: Links in one ``/v1/check-many`` body (and in ``/v1/explain``'s batch), and
#: the longest of them: past DL509's 2,000, so a batch still reports it.
MAX_LINKS_PER_REQUEST: Final = 32
MAX_BATCH_LINK_CHARS: Final = 2048

#: The longest value ``/v1/build`` takes, and how many extra parameters.
MAX_REQUEST_VALUE_CHARS: Final = 2048
MAX_EXTRA_PARAMS: Final = 16

#: Nesting of arrays and objects in a JSON request body, and in TOML/JSON
#: secrets and config files.
MAX_NESTING_DEPTH: Final = 64

#: Digits of one integer in a JSON request body or a secrets/config file.
MAX_INTEGER_DIGITS: Final = 1000

#: Bytes read from a secret file, a secrets file or a config file.
MAX_SECRET_FILE_BYTES: Final = 1024 * 1024
MAX_CONFIG_FILE_BYTES: Final = 1024 * 1024

#: Bytes read from a batch file of links (``explain --batch``).
MAX_BATCH_FILE_BYTES: Final = 64 * 1024 * 1024

# Reader budgets -------------------------------------------------------------
# What one file (or one part of it) may cost the audit; validator.extract.budget
# gathers them into the ReadBudget a caller may change.

#: An image declaring more pixels than this is refused before it is decoded
#: (a 13000 x 13000 image is 169 million; a 48-megapixel phone photo passes).
MAX_IMAGE_PIXELS: Final = 50_000_000
#: An image file or e-mail image part larger than this is refused unread.
MAX_IMAGE_BYTES: Final = 64 * 1024 * 1024
#: An e-mail part's body above this is read up to it, and the file is partial.
MAX_EMAIL_PART_BYTES: Final = 32 * 1024 * 1024
#: Open HTML elements beyond this depth are not built into a tree: the rest of the
#: document is tokenized flat (the depth Chromium's parser caps its tree at).
MAX_HTML_DEPTH: Final = 512
#: JSON path steps written in a location: a deeper path keeps its first and last steps.
MAX_JSON_PATH_STEPS: Final = 48
#: Characters of one object key written in a JSON location: a longer key keeps its
#: first characters and says how many more there were.
MAX_JSON_KEY_CHARS: Final = 64
#: A CSV cell longer than this (the csv module's limit) ends tabular reading: the
#: rest of the file is scanned as text.
MAX_CSV_CELL_CHARS: Final = 131_072
