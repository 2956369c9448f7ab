"""`armstrace.ingest.fetch`: limits, retries, conditional GET and the SSRF guard, against a
local server (and httpx.MockTransport for hosts that must look public)."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from armstrace.errors import BlockedURLError, FetchError, InputError
from armstrace.ingest.feeds import feed_documents
from armstrace.ingest.fetch import (
    USER_AGENT,
    Fetcher,
    FetchResult,
    FetchSettings,
    Validators,
    read_fetched,
)
from armstrace.models import Document
from tests.ingest.conftest import (
    LocalServer,
    failing_first,
    redirect,
    silent,
    static,
    trickle,
    with_etag,
)

PAGE = b"<html><body><p>hello</p></body></html>"


def local(**kw: object) -> Fetcher:
    """A fetcher that may reach the test server, and never really sleeps between retries."""
    sleeps: list[float] = []
    settings = FetchSettings(**{"allow_private": True, **kw})  # type: ignore[arg-type]
    f = Fetcher(settings, sleep=sleeps.append)
    f.sleeps = sleeps  # type: ignore[attr-defined]
    return f


def test_a_page_is_fetched_with_a_clear_user_agent(server: LocalServer) -> None:
    server.route("/a", static(PAGE, "text/html; charset=ISO-8859-1"))
    with local() as f:
        got = f.get(server.url("/a"))
    assert (got.status, got.content, got.content_type, got.charset) == (
        200,
        PAGE,
        "text/html",
        "ISO-8859-1",
    )
    ua = server.requests[0][1]["user-agent"]
    assert ua == USER_AGENT
    assert ua.startswith("armstrace/") and ua.endswith("(+https://github.com/armstrace/armstrace)")


def test_loopback_is_refused_by_default_before_any_request(server: LocalServer) -> None:
    server.route("/a", static(PAGE))
    with Fetcher() as f, pytest.raises(BlockedURLError, match=r"127\.0\.0\.1 is loopback"):
        f.get(server.url("/a"))
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "file:///etc/passwd",
        "ftp://ftp.example.org/pub/file.txt",
        "data:text/html,<p>x</p>",
        "gopher://example.org/",
    ],
)
def test_non_http_schemes_are_refused(url: str) -> None:
    with (
        Fetcher(FetchSettings(allow_private=True)) as f,
        pytest.raises(BlockedURLError, match="URLs are not fetched"),
    ):
        f.get(url)


def mock(handler: Callable[[httpx.Request], httpx.Response]) -> tuple[Fetcher, list[str]]:
    """A fetcher over MockTransport where *.example names resolve to a public address."""
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return handler(request)

    def resolver(host: str, port: int) -> list[str]:
        if host.endswith(".example"):
            return ["93.184.216.34"]
        raise OSError("no such host")

    f = Fetcher(transport=httpx.MockTransport(record), resolver=resolver, sleep=lambda s: None)
    return f, seen


@pytest.mark.parametrize(
    "target, reason",
    [
        ("http://127.0.0.1/admin", "loopback"),
        ("http://localhost./admin", "cannot resolve"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://[fd00:ec2::254]/latest/", "cloud metadata"),
        ("http://10.0.0.5/", "private"),
        ("http://100.64.1.1/", "carrier-grade NAT"),
        ("http://[::ffff:127.0.0.1]/", "loopback, inside an IPv6 address"),
        ("file:///etc/passwd", "URLs are not fetched"),
    ],
)
def test_a_redirect_from_a_public_host_to_an_inside_address_is_refused(
    target: str, reason: str
) -> None:
    f, seen = mock(lambda r: httpx.Response(302, headers={"Location": target}))
    with f, pytest.raises(BlockedURLError, match=reason):
        f.get("https://news.example/story")
    assert seen == ["https://news.example/story"]  # the inside address was never contacted


def test_each_hop_is_checked_on_a_real_server_too(server: LocalServer) -> None:
    server.route("/hop", redirect(f"http://127.0.0.2:{server.port}/inside"))
    settings = FetchSettings(allowed_networks=("127.0.0.1/32",))
    with Fetcher(settings) as f, pytest.raises(BlockedURLError, match=r"127\.0\.0\.2 is loopback"):
        f.get(server.url("/hop"))
    assert [p for p, _ in server.requests] == ["/hop"]


def test_dns_rebinding_is_caught_at_connection_time(server: LocalServer) -> None:
    """The name resolves to a public address when checked, to loopback when connected: the
    connection resolves again itself, checks, and refuses."""
    server.route("/", static(PAGE))
    answers = iter([["93.184.216.34"]] + [["127.0.0.1"]] * 10)
    with (
        Fetcher(resolver=lambda host, port: next(answers)) as f,
        pytest.raises(BlockedURLError, match=r"127\.0\.0\.1 is loopback"),
    ):
        f.get(f"http://rebind.example:{server.port}/")
    assert server.requests == []


def test_redirects_are_followed_up_to_the_limit(server: LocalServer) -> None:
    server.route("/r1", redirect("/r2"))
    server.route("/r2", redirect(server.url("/final"), 301))
    server.route("/final", static(PAGE))
    server.route("/loop", redirect("/loop"))
    with local(max_redirects=3) as f:
        got = f.get(server.url("/r1"))
        assert got.url == server.url("/final") and got.requested_url == server.url("/r1")
        with pytest.raises(FetchError, match="more than 3 redirects"):
            f.get(server.url("/loop"))
    assert server.hits("/loop") == 4


@pytest.mark.parametrize(
    "route, error",
    [
        ("/declared", r"body too large \(2,000,000 bytes > limit 1,000,000\)"),
        ("/streamed", "body too large"),
        ("/bomb", "body too large"),
    ],
)
def test_bodies_are_capped(server: LocalServer, route: str, error: str) -> None:
    big = b"x" * 2_000_000
    server.route("/declared", static(big))
    server.route("/streamed", static(big, length=False))
    if route == "/bomb":  # 20 MB of zeros in 20 KB
        server.route(
            "/bomb", static(gzip.compress(b"\0" * 20_000_000), headers={"Content-Encoding": "gzip"})
        )
    with local(max_bytes=1_000_000) as f, pytest.raises(FetchError, match=error):
        f.get(server.url(route))


def test_gzip_content_encoding_is_decoded(server: LocalServer) -> None:
    server.route("/gz", static(gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}))
    with local() as f:
        assert f.get(server.url("/gz")).content == PAGE


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_server_that_never_finishes_sending_hits_the_deadline(
    server: LocalServer, headers_too: bool
) -> None:
    server.route("/slow", trickle(server.stop, headers_too=headers_too))
    with local(deadline=1.0, read_timeout=0.5) as f, pytest.raises(FetchError, match="deadline"):
        f.get(server.url("/slow"))


def test_a_silent_server_times_out(server: LocalServer) -> None:
    server.route("/silent", silent(server.stop))
    with local(read_timeout=0.3, deadline=5.0) as f, pytest.raises(FetchError, match="timed out"):
        f.get(server.url("/silent"))


def test_5xx_is_retried_with_exponential_backoff(server: LocalServer) -> None:
    server.route("/flaky", failing_first(2, static(PAGE)))
    server.route("/down", failing_first(99, static(PAGE), status=503))
    with local(retries=3, backoff=0.5) as f:
        assert f.get(server.url("/flaky")).content == PAGE
        assert f.sleeps == [0.5, 1.0]  # type: ignore[attr-defined]
        with pytest.raises(FetchError, match=r"HTTP 503.*gave up after 4 attempts"):
            f.get(server.url("/down"))
    assert server.hits("/flaky") == 3 and server.hits("/down") == 4


def test_each_redirect_hop_gets_its_own_retry_budget(server: LocalServer) -> None:
    """Retries and redirects share one loop: a retry stays on its hop and names it, and a hop
    reached by a redirect starts with the full budget."""
    server.route("/start", failing_first(1, redirect("/flaky")))
    server.route("/flaky", failing_first(2, static(PAGE)))
    server.route("/moved", redirect("/down"))
    server.route("/down", failing_first(99, static(PAGE), status=503))
    with local(retries=2, backoff=0.5) as f:
        got = f.get(server.url("/start"))
        assert got.content == PAGE and got.requested_url == server.url("/start")
        assert f.sleeps == [0.5, 0.5, 1.0]  # type: ignore[attr-defined]
        with pytest.raises(FetchError, match=r"/down: HTTP 503.*gave up after 3 attempts"):
            f.get(server.url("/moved"))
    assert [server.hits(p) for p in ("/start", "/flaky", "/moved", "/down")] == [2, 3, 1, 3]


def test_4xx_is_not_retried(server: LocalServer) -> None:
    with local() as f, pytest.raises(FetchError, match="HTTP 404"):
        f.get(server.url("/missing"))
    assert server.hits("/missing") == 1


def test_connection_refused_is_retried_then_reported() -> None:
    with local(retries=2, backoff=0.01) as f, pytest.raises(FetchError, match="gave up after 3"):
        f.get("http://127.0.0.1:9/")  # the discard port: nothing listens there
    assert f.sleeps == [0.01, 0.02]  # type: ignore[attr-defined]


def test_conditional_get_returns_304_and_keeps_validators(server: LocalServer) -> None:
    server.route("/feed", with_etag(b"<rss/>", '"v1"'))
    cache: dict[str, Validators] = {}
    with local() as f:
        f.cache = cache
        first = f.get(server.url("/feed"), conditional=True)
        assert first.status == 200 and cache[server.url("/feed")].etag == '"v1"'
        second = f.get(server.url("/feed"), conditional=True)
    assert second.not_modified and second.content == b""
    assert server.requests[1][1]["if-none-match"] == '"v1"'
    assert Validators.from_dict(cache[server.url("/feed")].to_dict()) == Validators('"v1"', None)


# ---------------------------------------------------------------------------------------------
# read_fetched: the one place a URL's body becomes documents, an error item, or nothing (304)


def _feed_reader(f: Fetcher) -> Callable[[FetchResult], Iterator[Document | InputError]]:
    def read(got: FetchResult) -> Iterator[Document | InputError]:
        return feed_documents(got.content, got.requested_url, feed_url=got.url, fetcher=f)

    return read


def test_read_fetched_reads_a_real_feed_then_nothing_once_unchanged(
    server: LocalServer, fixtures: Path
) -> None:
    raw = (fixtures / "feeds" / "atom.xml").read_bytes()
    server.route("/feed", with_etag(raw, '"v1"', "application/atom+xml"))
    url = server.url("/feed")
    with local() as f:
        items = read_fetched(f, url, _feed_reader(f), conditional=True, accept="text/xml")
        assert server.hits("/feed") == 0  # lazy: nothing is fetched before the first item
        docs = list(items)
        assert docs and all(isinstance(d, Document) and d.text for d in docs)
        assert docs == list(feed_documents(raw, url, feed_url=url))
        assert server.requests[0][1]["accept"] == "text/xml"
        again = list(read_fetched(f, url, _feed_reader(f), conditional=True))
    assert again == [] and server.hits("/feed") == 2


def test_read_fetched_turns_a_failed_fetch_into_one_error_item(server: LocalServer) -> None:
    def never(got: FetchResult) -> Iterator[Document]:
        raise AssertionError("no body to read")

    with local() as f:
        items = list(read_fetched(f, server.url("/missing"), never))
    assert len(items) == 1 and isinstance(items[0], FetchError)
    assert "HTTP 404" in str(items[0])
