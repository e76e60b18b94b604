"""The service at its edges: Host guard, exposure, tokens, hostile bodies, limits, slow clients."""

from __future__ import annotations

import json
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from validator import spec
from validator.service import ServiceSettings, create_app
from validator.service.hosts import HostPolicy, is_loopback, normalise_host
from validator.service.settings import ExposureError
from validator.signature import Secret

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

BASE = "https://visitorchat.twt.com/direct/demo_app"
LINK = f"{BASE}?direct=1&chatid=1"
TOKEN = "api-token-0123456789"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(ServiceSettings(secrets_by_app={"demo_app": Secret("s3cr3t")}))
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as test:
        yield test


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    found: dict[str, Any] = response.json()
    assert found["status"] == status
    return found


# Host names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "normal"),
    [
        ("127.1", "127.0.0.1"),
        ("127.0.0.1:8000", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("LOCALHOST", "localhost"),
        ("localhost.", "localhost"),
        ("localhost.:80", "localhost"),
        ("[::1]", "::1"),
        ("[::1]:8000", "::1"),
        ("[0:0:0:0:0:0:0:1]", "::1"),
        ("[::ffff:127.0.0.1]", "127.0.0.1"),
        ("Links.Example.", "links.example"),
    ],
)
def test_host_spellings_are_normalised(spelling: str, normal: str) -> None:
    assert normalise_host(spelling) == normal


@pytest.mark.parametrize("host", ["127.1", "LOCALHOST", "localhost.", "[::1]", "::1", "127.0.0.9"])
def test_loopback_spellings_are_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.1", "localhost.evil.example", "1"])
def test_other_addresses_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:8000", "127.1", "LOCALHOST", "localhost.", "[::1]:8000", "[::ffff:127.0.0.1]"],
)
def test_create_app_answers_loopback_names_in_any_spelling(client: TestClient, host: str) -> None:
    assert client.get("/healthz", headers={"host": host}).status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "127.0.0.1.nip.io", "localhost.evil.example", "", "   "]
)
def test_create_app_refuses_other_host_names(client: TestClient, host: str) -> None:
    found = problem(client.get("/healthz", headers={"host": host}), 400)
    assert "DNS rebinding" in found["detail"]
    response = client.post("/v1/check", json={"link": LINK}, headers={"host": host})
    assert response.status_code == 400


def test_a_request_without_any_host_header_is_refused() -> None:
    import asyncio

    app = create_app(ServiceSettings())
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": "/healthz", "raw_path": b"/healthz", "query_string": b"",
        "root_path": "", "headers": [], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 400


def test_the_factory_deployment_is_guarded_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # uvicorn validator.service:create_app --factory: settings from the environment.
    monkeypatch.delenv("DIRECTLINK_ALLOWED_HOSTS", raising=False)
    monkeypatch.setenv("DIRECTLINK_APP_SECRET", "factory-s3cr3t")
    with TestClient(create_app(), base_url="http://127.0.0.1") as factory:
        assert factory.get("/healthz").status_code == 200
        found = problem(
            factory.post("/v1/check", json={"link": LINK}, headers={"host": "evil.example"}), 400
        )
        assert "factory-s3cr3t" not in json.dumps(found)
    monkeypatch.setenv("DIRECTLINK_ALLOWED_HOSTS", "links.example, api.links.example")
    with TestClient(create_app(), base_url="http://links.example") as named:
        assert named.get("/healthz").status_code == 200
        assert named.get("/healthz", headers={"host": "evil.example"}).status_code == 400


def test_a_wildcard_allow_list_answers_any_name_but_not_a_missing_one() -> None:
    policy = HostPolicy({"*"})
    assert policy.allows("whatever.example") and not policy.allows("") and not policy.allows(None)


# Exposure and the API token ---------------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [
        ServiceSettings(bind_host="0.0.0.0"),
        ServiceSettings(bind_host="0.0.0.0", allowed_hosts=frozenset({"links.example"})),
        ServiceSettings(bind_host="10.1.2.3", api_token=Secret(TOKEN)),
    ],
)
def test_beyond_loopback_without_allow_list_and_token_refuses_to_start(
    settings: ServiceSettings,
) -> None:
    with pytest.raises(ExposureError) as caught:
        create_app(settings)
    message = str(caught.value)
    assert "DIRECTLINK_API_TOKEN" in message and "--token-file" in message
    assert "never on the command line" in message


def test_the_token_guards_the_api_and_never_shows() -> None:
    settings = ServiceSettings(
        bind_host="0.0.0.0", allowed_hosts=frozenset({"links.example"}), api_token=Secret(TOKEN)
    )
    with TestClient(create_app(settings), base_url="http://links.example") as exposed:
        found = problem(exposed.post("/v1/check", json={"link": LINK}), 401)
        assert TOKEN not in json.dumps(found)
        wrong = {"authorization": "Bearer not-the-token"}
        assert exposed.post("/v1/check", json={"link": LINK}, headers=wrong).status_code == 401
        right = {"authorization": f"Bearer {TOKEN}"}
        answered = exposed.post("/v1/check", json={"link": f"{LINK}&x={TOKEN}"}, headers=right)
        assert answered.status_code == 200 and TOKEN not in answered.text
        assert exposed.get("/healthz").status_code == 200  # liveness stays open
        document = exposed.get("/openapi.json").json()
    # The document says what the server asks for, so clients and fuzzers send it.
    assert document["components"]["securitySchemes"] == {"apiToken": {
        "type": "http", "scheme": "bearer",
        "description": "The server's API token (DIRECTLINK_API_TOKEN), sent on /v1 requests."}}
    for route, item in document["paths"].items():
        for method, operation in item.items():
            guarded = route.startswith("/v1/")
            assert (operation.get("security") == [{"apiToken": []}]) is guarded, (route, method)
            assert ("401" in operation["responses"]) is guarded, (route, method)
            if guarded:
                content = operation["responses"]["401"]["content"]
                assert list(content) == ["application/problem+json"]


def test_a_loopback_server_without_a_token_documents_no_security(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert "securitySchemes" not in document["components"]
    assert not any("security" in operation for item in document["paths"].values()
                   for operation in item.values())


def test_serve_token_file_and_exposure_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import uvicorn
    from click.testing import CliRunner

    from validator.cli import cli

    started: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, *a, **k: started.append(self.config))
    monkeypatch.delenv("DIRECTLINK_API_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--allowed-host", "a.example"])
    assert result.exit_code == 2 and "API token" in result.output and not started
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["serve", "--host", "0.0.0.0", "--allowed-host", "a.example", "--token-file", str(token)],
    )
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    config = started[0]
    assert config.timeout_keep_alive <= 5 and config.limit_concurrency
    assert config.h11_max_incomplete_event_size


# Hostile bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"link": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"link": "x", "select": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"link": "x", "a": ' + b"1" * 5000 + b"}",
        b'{"link": ' + b"9" * 5000 + b"}",
    ],
    ids=["deep", "deep-field", "long-number-extra", "long-number"],
)
def test_deep_json_and_huge_numbers_are_the_documented_422(client: TestClient, body: bytes) -> None:
    response = client.post("/v1/check", content=body, headers={"content-type": "application/json"})
    found = problem(response, 422)
    assert found["type"] == "urn:directlink:problem:invalid-request"


def test_the_openapi_limits_fit_the_body_limit(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]

    def worst(schema: dict[str, Any]) -> int:
        """Bytes of the largest JSON the schema allows, every character \\u-escaped."""
        if "$ref" in schema:
            return worst(schemas[schema["$ref"].rsplit("/", 1)[-1]])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return max(worst(option) for option in schema[key])
        if "enum" in schema:
            return max(len(json.dumps(value)) for value in schema["enum"])
        if "const" in schema:
            return len(json.dumps(schema["const"]))
        kind = schema.get("type")
        if kind == "string":
            assert "maxLength" in schema or ("pattern" in schema and "maxLength" in schema), schema
            return schema["maxLength"] * 12 + 2
        if kind == "array":
            assert "maxItems" in schema, schema
            return schema["maxItems"] * (worst(schema.get("items", {})) + 1) + 2
        if kind == "object":
            assert not schema.get("additionalProperties"), schema
            properties = schema["properties"].items()
            return 2 + sum(len(json.dumps(k)) + 2 + worst(v) for k, v in properties)
        if kind in ("integer", "number"):
            return 24
        if kind == "boolean":
            return 5
        if kind == "null":
            return 4
        raise AssertionError(f"unbounded schema {schema}")

    bodies = 0
    for path, operations in document["paths"].items():
        for operation in operations.values():
            content = (operation.get("requestBody") or {}).get("content", {})
            for media in content.values():
                bodies += 1
                size = worst(media["schema"])
                assert size <= spec.MAX_REQUEST_BODY_BYTES, (path, size)
    assert bodies >= 5


def _many_hostile_links() -> bytes:
    link = BASE + "?" + "&" * 16384
    body = json.dumps({"links": [link] * 62}).encode()
    assert len(body) <= spec.MAX_REQUEST_BODY_BYTES
    return body


def test_one_mebibyte_of_hostile_links_three_at_once_is_never_5xx(client: TestClient) -> None:
    body = _many_hostile_links()
    headers = {"content-type": "application/json"}
    with ThreadPoolExecutor(3) as pool:
        statuses = list(pool.map(
            lambda _: client.post("/v1/check-many", content=body, headers=headers).status_code,
            range(3),
        ))
    assert statuses == [422] * 3  # links longer than a batch takes: refused, not run


def test_the_largest_valid_batch_of_hostile_links_three_at_once(client: TestClient) -> None:
    link = BASE + "?" + "&" * (spec.MAX_BATCH_LINK_CHARS - len(BASE) - 1)
    payload = {"links": [link] * spec.MAX_LINKS_PER_REQUEST}
    with ThreadPoolExecutor(3) as pool:
        responses = list(pool.map(lambda _: client.post("/v1/check-many", json=payload), range(3)))
    for response in responses:
        assert response.status_code == 200
        report = response.json()["reports"][0]
        assert len(report["findings"]) <= spec.MAX_FINDINGS_PER_RULE + 10


def test_one_long_link_of_ampersands_is_checked_with_capped_findings(client: TestClient) -> None:
    link = BASE + "?" + "&" * (spec.MAX_REQUEST_LINK_CHARS - len(BASE) - 1)
    response = client.post("/v1/check", json={"link": link})
    assert response.status_code == 200
    findings = response.json()["findings"]
    assert sum(1 for f in findings if f["code"] == "DL506") == spec.MAX_FINDINGS_PER_RULE


# Slow clients ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_slow_request_head_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from validator.service import server

    monkeypatch.setattr(server, "HEADER_TIMEOUT_SECONDS", 0.5)
    port = _free_port()
    config = server.server_config(
        create_app(ServiceSettings()), host="127.0.0.1", port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not running.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running.started
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finishes
            slow.settimeout(10)
            started = time.monotonic()
            assert slow.recv(1024) == b""  # closed by the server
            assert time.monotonic() - started < 9
        with socket.create_connection(("127.0.0.1", port), timeout=10) as prompt:
            prompt.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert b" 200 " in prompt.recv(4096)
    finally:
        running.should_exit = True
        thread.join(timeout=10)
