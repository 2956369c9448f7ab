"""Fetch pages and feeds over HTTP(S), politely and within hard limits.

One `Fetcher.get(url)` either returns the body or raises one `FetchError` that names the URL and
says what went wrong. Everything a hostile or broken server can do is bounded:

* time: connect and read timeouts, and one deadline over the whole call (redirects and retries
  included), enforced inside every socket read, so a server that trickles a byte a second
  (headers or body) is cut off at the deadline, not after hours;
* size: a Content-Length over the cap is refused unread, and the body is counted as it streams,
  after decompression (`compressed.BoundedInflater`), so a gzip bomb stops at the cap;
* redirects: followed by hand, at most `max_redirects`, each hop checked like the first;
* addresses: `ssrf.AddressPolicy` on every hop, and `ssrf.GuardedBackend` inside the connection.

Transient failures (connection refused or reset, HTTP 429 and 5xx) are retried with exponential
backoff. Conditional GET: pass a `cache` (any mutable mapping, URL → `Validators`) and
`conditional=True`; an unchanged feed then costs one 304 and no body. The fetcher updates
the cache when a 200 carries an ETag or Last-Modified; a caller that must not lose entries
(the store) should persist the cache only after it has stored what that body held.

Tests replace the network with `transport=httpx.MockTransport(handler)` (the policy's URL
checks still run) or serve from a local HTTP server with `allow_private=True`.
"""

from __future__ import annotations

import contextvars
import email.utils
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TypeVar
from urllib.parse import urljoin

import httpcore
import httpx

from armstrace.errors import BlockedURLError, FetchError
from armstrace.ingest.compressed import BoundedInflater, TooLarge
from armstrace.ingest.limits import DEFAULT_MAX_BYTES
from armstrace.ingest.ssrf import AddressPolicy, GuardedBackend, Resolver, system_resolver


def _version() -> str:
    try:
        return version("armstrace")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


USER_AGENT = f"armstrace/{_version()} (+https://github.com/armstrace/armstrace)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
ENCODINGS = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Limits and politeness for every request; the defaults suit news pages and feeds."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 60.0  # seconds for one `get`, redirects and retries included
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 0.5  # first retry waits this long, then twice as long each time
    max_backoff: float = 30.0
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies a body: sent back on the next request for a 304."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out

    def to_dict(self) -> dict[str, str | None]:
        return {"etag": self.etag, "last_modified": self.last_modified}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Validators:
        return cls(data.get("etag"), data.get("last_modified"))


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched body (empty for 304 Not Modified) and what the headers said about it."""

    url: str  # after redirects: what relative links in the body are relative to
    requested_url: str
    status: int
    content: bytes
    content_type: str | None = None  # media type only, lower case: "text/html"
    charset: str | None = None
    validators: Validators = field(default_factory=Validators)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retryable(Exception):
    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class _Redirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


# ---------------------------------------------------------------------------------------------
# transport: httpcore pool over the guarded backend, every socket read bounded by the deadline

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


def _bounded(timeout: float | None, clock: Callable[[], float] = time.monotonic) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    remaining = deadline - clock()
    if remaining <= 0:
        raise httpcore.ReadTimeout("deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                     _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_tcp(host, port, _bounded(timeout),
                                                       local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return self._inner.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.NetworkError, httpx.NetworkError),
)


def _mapped(e: Exception) -> Exception:
    for core, outer in _EXCEPTIONS:
        if isinstance(e, core):
            return outer(str(e) or type(e).__name__)
    return e


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes], closer: Callable[[], None]) -> None:
        self._stream = stream
        self._closer = closer

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except Exception as e:
            mapped = _mapped(e)
            if mapped is e:
                raise
            raise mapped from e

    def close(self) -> None:
        self._closer()


class GuardedTransport(httpx.BaseTransport):
    """httpx transport whose connections go only to addresses `policy` allows (see ssrf.py)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=_DeadlineBackend(GuardedBackend(policy)),
            max_connections=10,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        req = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            resp = self._pool.handle_request(req)
        except Exception as e:
            mapped = _mapped(e)
            if mapped is e:  # ours (BlockedURLError) or unexpected: as it is
                raise
            raise mapped from e
        assert isinstance(resp.stream, Iterable)
        return httpx.Response(status_code=resp.status, headers=resp.headers,
                              stream=_ResponseStream(resp.stream, resp.close),
                              extensions=resp.extensions)

    def close(self) -> None:
        self._pool.close()


# ---------------------------------------------------------------------------------------------
# the fetcher


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """A reusable HTTP client with armstrace's limits; use as a context manager or `close()`."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        cache: MutableMapping[str, Validators] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = s = settings or FetchSettings()
        self.policy = AddressPolicy.allowing(
            s.allowed_networks, allow_private=s.allow_private, resolver=resolver or system_resolver
        )
        self.cache: MutableMapping[str, Validators] = {} if cache is None else cache
        self._sleep = sleep
        self._clock = clock
        self._client = httpx.Client(
            transport=transport or GuardedTransport(self.policy),
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would bypass the address checks
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, conditional: bool = False, accept: str | None = None) -> FetchResult:
        """GET `url`, following redirects; raises FetchError (BlockedURLError if refused)."""
        deadline = self._clock() + self.settings.deadline
        token = _DEADLINE.set(deadline)
        try:
            return self._get(url, conditional, accept, deadline)
        finally:
            _DEADLINE.reset(token)

    def _get(self, url: str, conditional: bool, accept: str | None, deadline: float) -> FetchResult:
        """One loop over every request the call makes, so the redirect and retry budgets are
        kept in one place: a redirect moves to the next hop, checked against the address policy
        before anything is sent to it, with a fresh retry budget; a transient failure retries the
        same hop after a backoff, unless that would pass the deadline."""
        s = self.settings
        headers = {"Accept": accept} if accept else {}
        cached = self.cache.get(url) if conditional else None
        if cached is not None:
            headers.update(cached.headers())
        current, hops, attempt = url, 0, 0
        self.policy.check_url(current)
        while True:
            try:
                result = self._attempt(current, url, headers, deadline)
            except _Redirect as r:
                hops += 1
                if hops > s.max_redirects:
                    raise FetchError(f"{url}: more than {s.max_redirects} redirects") from None
                current, attempt = urljoin(current, r.location), 0
                self.policy.check_url(current)
                continue
            except (_Retryable, httpx.ConnectError, httpx.ConnectTimeout,
                    httpx.RemoteProtocolError) as e:
                wait = min(s.max_backoff, s.backoff * 2**attempt)
                if isinstance(e, _Retryable) and e.wait is not None:
                    wait = min(s.max_backoff, max(wait, e.wait))
                if attempt == s.retries or self._clock() + wait >= deadline:
                    tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
                    reason = str(e) or type(e).__name__
                    raise FetchError(f"{current}: {reason} (gave up after {tries})") from e
                attempt += 1
                self._sleep(wait)
                continue
            except httpx.TimeoutException as e:
                if self._clock() >= deadline:
                    raise self._past_deadline(current) from e
                raise FetchError(f"{current}: timed out ({type(e).__name__})") from e
            except httpx.HTTPError as e:
                raise FetchError(f"{current}: {type(e).__name__}: {e}") from e
            if conditional and result.status == 200 and (
                result.validators.etag or result.validators.last_modified
            ):
                self.cache[url] = result.validators
            return result

    def _past_deadline(self, url: str) -> FetchError:
        """The one wording for a call cut off by its deadline, wherever the clock ran out."""
        return FetchError(
            f"{url}: took longer than {self.settings.deadline:g} s (the deadline); stopped"
        )

    def _timeout(self, deadline: float) -> httpx.Timeout:
        remaining = max(0.001, deadline - self._clock())
        s = self.settings
        return httpx.Timeout(connect=min(s.connect_timeout, remaining),
                             read=min(s.read_timeout, remaining),
                             write=min(s.read_timeout, remaining), pool=min(5.0, remaining))

    def _attempt(self, url: str, requested: str, headers: dict[str, str],
                 deadline: float) -> FetchResult:
        with self._client.stream("GET", url, headers=headers,
                                 timeout=self._timeout(deadline)) as resp:
            status = resp.status_code
            if status in REDIRECTS:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(f"{url}: HTTP {status} redirect without a Location")
                raise _Redirect(location)
            if status in RETRY_STATUS:
                raise _Retryable(f"HTTP {status} {resp.reason_phrase}".strip(),
                                 _retry_after(resp.headers.get("retry-after")))
            if status == 304:
                return self._result(resp, url, requested, b"")
            if status >= 400 or status < 200:
                raise FetchError(f"{url}: HTTP {status} {resp.reason_phrase}".strip())
            return self._result(resp, url, requested, self._body(resp, url, deadline))

    def _body(self, resp: httpx.Response, url: str, deadline: float) -> bytes:
        cap = self.settings.max_bytes
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"{url}: body too large ({int(declared):,} bytes > limit {cap:,})")
        coding = resp.headers.get("content-encoding", "identity").strip().lower()
        if coding not in ENCODINGS and coding not in ("identity", ""):
            raise FetchError(f"{url}: unsupported Content-Encoding {coding!r}")
        inflater = BoundedInflater(cap, ENCODINGS[coding]) if coding in ENCODINGS else None
        parts: list[bytes] = []
        received = 0
        try:
            for chunk in resp.iter_raw():
                received += len(chunk)
                if received > cap:
                    raise TooLarge(f"more than {cap:,} bytes")
                parts.append(inflater.feed(chunk) if inflater else chunk)
                if self._clock() > deadline:
                    raise self._past_deadline(url)
            if inflater:
                parts.append(inflater.finish())
        except TooLarge as e:
            raise FetchError(f"{url}: body too large ({e}; limit {cap:,})") from e
        except Exception as e:
            if isinstance(e, (FetchError, httpx.HTTPError)):
                raise
            raise FetchError(f"{url}: cannot decode {coding} body ({e})") from e
        return b"".join(parts)

    @staticmethod
    def _result(resp: httpx.Response, url: str, requested: str, body: bytes) -> FetchResult:
        ctype = resp.headers.get("content-type", "")
        media, _, params = ctype.partition(";")
        charset = None
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip().strip("\"'")
        return FetchResult(
            url=url,
            requested_url=requested,
            status=resp.status_code,
            content=body,
            content_type=media.strip().lower() or None,
            charset=charset,
            validators=Validators(resp.headers.get("etag"), resp.headers.get("last-modified")),
        )


T = TypeVar("T")


def read_fetched(
    fetcher: Fetcher,
    url: str,
    read: Callable[[FetchResult], Iterable[T]],
    *,
    conditional: bool = False,
    accept: str | None = None,
) -> Iterator[T | FetchError]:
    """What `read` makes of the body at `url`; the FetchError instead when the fetch fails,
    and nothing at all when the server says the body has not changed (304).

    Every reader of a URL (a page, a feed, each feed of an OPML list) treats those two outcomes
    alike: a failed fetch is one error item in the stream, so the other inputs are still read,
    and an unchanged body yields no documents. Lazy, like the readers: nothing is fetched until
    the first item is asked for.
    """
    try:
        got = fetcher.get(url, conditional=conditional, accept=accept)
    except FetchError as e:
        yield e
        return
    if not got.not_modified:
        yield from read(got)


__all__ = [
    "USER_AGENT",
    "BlockedURLError",
    "FetchError",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "GuardedTransport",
    "Validators",
    "read_fetched",
]
