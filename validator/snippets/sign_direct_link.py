"""Sign and build chat-page direct links on your server (Python 3.9+, standard library only).

    sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)

Both digests in lower-case hex; the strings hashed as UTF-8 of sbs and ranstr
exactly as the page decodes them from the link. Check this code against the
shared test vectors: `directlink vectors`.
"""

import hashlib
import secrets
from urllib.parse import quote

DEFAULT_BASE_URL = "https://visitorchat.twt.com"


def _md5_hex(text: str) -> str:
    # MD5 of the UTF-8 bytes, as 32 lower-case hex characters (hexdigest, not digest).
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def sign_direct_link(sbs: str, ranstr: str, app_secret: str) -> str:
    """The sbs_mm of sbs and ranstr.

    app_secret comes from your server's configuration (an environment variable
    or a secret store), exactly as issued for this app: no trailing newline,
    and never from the front end, a page, an app bundle or a log.
    """
    inner = _md5_hex(sbs + "_" + app_secret)  # sbs, "_", AppSecret: in this order
    return _md5_hex(inner + "_" + ranstr)  # the inner hex digest, "_", ranstr


def new_ranstr() -> str:
    """A fresh random string for every link: 24 URL-safe characters."""
    return secrets.token_urlsafe(18)


def _encode(value: str) -> str:
    # UTF-8 percent-encoding; only A-Z a-z 0-9 - . _ ~ stay bare ('+' is %2B, a space %20).
    return quote(value, safe="")


def build_direct_link(
    base_url: str, app_id: str, chat_id: str, sbs: str, ranstr: str, app_secret: str
) -> str:
    """A link that opens chat session chat_id for the verified customer sbs."""
    sbs_mm = sign_direct_link(sbs, ranstr, app_secret)  # sign the plain values, encode after
    params = [("direct", "1"), ("chatid", chat_id), ("sbs", sbs), ("sbs_mm", sbs_mm),
              ("ranstr", ranstr)]
    query = "&".join(name + "=" + _encode(value) for name, value in params)
    return base_url.rstrip("/") + "/direct/" + _encode(app_id) + "?" + query
