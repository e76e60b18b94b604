"""Deterministic generated links shared by the benchmarks."""

from __future__ import annotations

import random

from validator import build

_LANGS = ["en", "zh-cn", "pt", "ja", "pt-BR", "xx"]
_NAMES = ["Ann Lee", "José Álvarez", "李小龙", "O'Brien & Co", "Zoë"]
#: What a rotated or staging secret signs with: the links' signatures then mismatch.
OTHER_SECRET = "staging-secret"


def generate_links(
    count: int, *, seed: int = 1, secret: str = "bench-secret", mismatching: float = 0.0
) -> list[str]:
    """``count`` realistic links: signed and unsigned, chat ids, languages, customer fields.

    ``mismatching`` is the share of the signed links signed with another secret
    (a rotated secret, a staging key), so that checking with ``secret`` rejects them.
    """
    rng = random.Random(seed)
    links: list[str] = []
    for index in range(count):
        kind = rng.random()
        app_id = f"{rng.getrandbits(128):032x}"
        chat_id = f"session-{index}" if kind < 0.6 else None
        lang = rng.choice(_LANGS) if kind < 0.8 else None
        if kind < 0.5:
            signer = OTHER_SECRET if kind < 0.5 * mismatching else secret
            links.append(
                build(
                    app_id,
                    chat_id=chat_id,
                    lang=lang,
                    sbs=f"customer-{index}",
                    ranstr=f"{rng.getrandbits(96):024x}",
                    name=rng.choice(_NAMES),
                    email=f"user{index}@example.com",
                    phone=f"+861380000{index % 10000:04d}",
                    secret=signer,
                )
            )
        else:
            links.append(build(app_id, chat_id=chat_id, lang=lang, nickname=rng.choice(_NAMES)))
    return links


def signed_links(count: int, *, secret: str, seed: int = 2) -> list[str]:
    """``count`` signed links with customer fields, all signed with ``secret``."""
    rng = random.Random(seed)
    return [
        build(
            f"{rng.getrandbits(128):032x}",
            chat_id=f"session-{index}",
            lang="en",
            sbs=f"customer-{index}",
            ranstr=f"{rng.getrandbits(96):024x}",
            name=rng.choice(_NAMES),
            email=f"user{index}@example.com",
            secret=secret,
        )
        for index in range(count)
    ]
