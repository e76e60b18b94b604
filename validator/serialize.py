"""Plain-data (JSON-ready) forms of the model, shared by every output and the HTTP API."""

from __future__ import annotations

from typing import Any

from validator.model import DirectLink, Param


def param_to_dict(param: Param) -> dict[str, Any]:
    return {
        "name": param.name,
        "value": param.value,
        "raw": param.raw,
        "raw_name": param.raw_name,
        "raw_value": param.raw_value,
        "span": list(param.span),
        "value_span": list(param.value_span),
    }


def link_to_dict(link: DirectLink) -> dict[str, Any]:
    return {
        "input": link.input,
        "is_url": link.is_url,
        "error": link.error,
        "scheme": link.scheme,
        "host": link.host,
        "port": link.port,
        "path": link.path,
        "base_path": link.base_path,
        "app_id": link.app_id,
        "trailing_slash": link.trailing_slash,
        "has_credentials": bool(link.username) or link.password is not None,
        "query": link.query,
        "fragment": link.fragment,
        "params": [param_to_dict(p) for p in link.params],
        "fragment_params": [param_to_dict(p) for p in link.fragment_params],
        "chat_id": link.chat_id,
        "lang": link.lang,
    }
