"""Public hypothesis strategies for property-testing direct-link generators.

Install the ``strategies`` extra (it brings in hypothesis). Three families,
one module each behind this package (:mod:`~validator.strategies.values` for
the value strategies they are made of):

* **valid links** — :func:`link_specs` draws a :class:`LinkSpec` (host, base
  path, app id, parameters, optionally signed with a secret), :func:`valid_links`
  draws its URL text. Every part can be replaced by the caller's own strategy,
  and every optional feature (chat id, language, signature, customer fields,
  SDK parameters) can be forced on (``True``), off (``False``) or left to
  chance (``None``).
* **encoding dialects** — :data:`DIALECTS`: the ways real generators write a
  query (the project's canonical builder, JavaScript ``encodeURIComponent``
  and ``URLSearchParams``, Python ``urlencode``, PHP ``http_build_query``,
  Java ``URLEncoder``, the native SDK, lower-case hex escapes, unencoded safe
  characters). Each :class:`Dialect` documents exactly which characters it
  leaves bare.
  Both take the same options (:class:`LinkOptions`).
* **defect mutations** — :data:`MUTATIONS`: named edits of a valid link, each
  tied to the rule code it must trigger. :func:`mutated_links` applies them.

The generated values are chosen so that a link written in ANY dialect is
clean (no error, no warning): no quotes (``encodeURIComponent`` leaves ``'``
bare), and no spaces where a dialect writes a space as ``+`` (the native SDK
reads ``+`` literally, so ``John+Doe`` is a real client divergence, DL512).
"""

from __future__ import annotations

from validator.strategies.links import (
    LinkOptions,
    LinkSpec,
    ParamOptions,
    Toggle,
    link_specs,
    valid_links,
    valid_params,
)
from validator.strategies.mutations import MUTATIONS, MutatedLink, Mutation, mutated_links, mutation
from validator.strategies.query_dialects import (
    CANONICAL,
    DIALECTS,
    JAVA_URL_ENCODER,
    JS_ENCODE_URI_COMPONENT,
    JS_URL_SEARCH_PARAMS,
    LOWER_HEX,
    PHP_HTTP_BUILD_QUERY,
    PYTHON_URLENCODE,
    SDK_RFC3986,
    UNENCODED_SAFE,
    Dialect,
    dialect,
    dialects,
)
from validator.strategies.values import (
    app_ids,
    base_paths,
    chat_ids,
    customer_names,
    emails,
    hostile_text,
    hosts,
    languages,
    link_like_text,
    phones,
    ports,
    ranstrs,
    sbs_values,
    secrets,
)

__all__ = [
    "CANONICAL",
    "DIALECTS",
    "JAVA_URL_ENCODER",
    "JS_ENCODE_URI_COMPONENT",
    "JS_URL_SEARCH_PARAMS",
    "LOWER_HEX",
    "MUTATIONS",
    "PHP_HTTP_BUILD_QUERY",
    "PYTHON_URLENCODE",
    "SDK_RFC3986",
    "UNENCODED_SAFE",
    "Dialect",
    "LinkOptions",
    "LinkSpec",
    "MutatedLink",
    "Mutation",
    "ParamOptions",
    "Toggle",
    "app_ids",
    "base_paths",
    "chat_ids",
    "customer_names",
    "dialect",
    "dialects",
    "emails",
    "hostile_text",
    "hosts",
    "languages",
    "link_like_text",
    "link_specs",
    "mutated_links",
    "mutation",
    "phones",
    "ports",
    "ranstrs",
    "sbs_values",
    "secrets",
    "valid_links",
    "valid_params",
]
