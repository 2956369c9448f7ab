"""Which URLs armstrace may fetch: http(s) to public addresses only, unless told otherwise.

A feed or a page is attacker-chosen input. Fetched naively, "http://169.254.169.254/..." reads
a cloud machine's credentials, "http://127.0.0.1:5432" probes local services, and a public
name can resolve to a private address, or change its answer between our check and our
connection (DNS rebinding). So the check runs on resolved addresses, at every redirect hop,
and again inside the connection itself: `GuardedBackend` resolves, checks and connects to the
very address it checked, so there is no second lookup an attacker could answer differently.

Refused: loopback, private (RFC 1918, ULA), link-local, carrier-grade NAT, multicast, reserved,
unspecified, the cloud metadata addresses, and IPv6 forms that embed a refused IPv4 address
(IPv4-mapped, NAT64, 6to4). `allow_private=True` lifts the address rule (a user's intranet
feed); `allowed_networks` lifts it for chosen networks only. Schemes other than http and https
(javascript:, file:, ftp:, data:) are refused always.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpcore

from armstrace.errors import BlockedURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: host, port → the addresses to try, as strings (the seam tests use to fake DNS)
Resolver = Callable[[str, int], Sequence[str]]

SCHEMES = ("http", "https")
METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254",
                                      "100.100.100.200")
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host:port (TCP), in its order, no repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        if addr not in out:
            out.append(addr)
    return out


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal_reason(ip: IPAddress) -> str | None:
    """Why `ip` is not a public address ("loopback", "private"...), or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and (v4 := _embedded_v4(ip)) is not None:
        inner = refusal_reason(v4)
        return f"{inner}, inside an IPv6 address" if inner else None
    if ip in METADATA:
        return "cloud metadata service"
    checks: list[tuple[bool, str]] = [
        (ip.is_loopback, "loopback"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT, "carrier-grade NAT"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "not globally routable"),
    ]
    return next((why for bad, why in checks if bad), None)


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """What may be fetched. The default refuses every non-public address."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()
    resolver: Resolver = field(default=system_resolver, compare=False)

    @classmethod
    def allowing(cls, networks: Iterable[str], **kw: Any) -> AddressPolicy:
        """A policy that also allows these networks ("10.0.0.0/8", "127.0.0.1/32")."""
        nets = tuple(ipaddress.ip_network(n, strict=False) for n in networks)
        return cls(allowed_networks=nets, **kw)

    def check_ip(self, ip: IPAddress, where: str) -> None:
        """Raise BlockedURLError when `ip` may not be contacted."""
        if self.allow_private or any(ip in net for net in self.allowed_networks):
            return
        if (why := refusal_reason(ip)) is not None:
            raise BlockedURLError(
                f"{where}: refused: address {ip} is {why} (use --allow-private to allow it)"
            )

    def resolve(self, host: str, port: int, where: str) -> list[IPAddress]:
        """The addresses of host (a literal IP or a name), each checked; any refused one refuses
        all, since a name that also points inside the network is not a public site."""
        try:
            addrs = [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            try:
                addrs = [ipaddress.ip_address(a) for a in self.resolver(host, port)]
            except (OSError, UnicodeError, ValueError) as e:
                raise BlockedURLError(f"{where}: cannot resolve host {host!r} ({e})") from e
        if not addrs:
            raise BlockedURLError(f"{where}: host {host!r} has no address")
        for ip in addrs:
            self.check_ip(ip, where)
        return addrs

    def check_url(self, url: str) -> None:
        """Refuse a URL before any request: its scheme, and (unless allowed) its addresses."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as e:
            raise BlockedURLError(f"{url}: not a valid URL ({e})") from e
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            shown = f"{scheme}:" if scheme else "no scheme"
            raise BlockedURLError(f"{url}: refused: {shown} URLs are not fetched (only http/https)")
        if not parts.hostname:
            raise BlockedURLError(f"{url}: refused: no host in URL")
        if parts.username or parts.password:
            raise BlockedURLError(f"{url}: refused: credentials in URL")
        if not self.allow_private:
            self.resolve(parts.hostname, port or (443 if scheme == "https" else 80), url)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that connects only to addresses the policy allows.

    It resolves the host itself, checks every address, and connects to a checked address by
    number, so the address that was checked is the address that is used. TLS still verifies
    the certificate against the host name: httpcore passes the name, not our address, to
    `start_tls`.
    """

    def __init__(self, policy: AddressPolicy, inner: httpcore.NetworkBackend | None = None):
        self._policy = policy
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addrs = self._policy.resolve(host, port, f"{host}:{port}")
        error: Exception | None = None
        for ip in addrs:
            try:
                return self._inner.connect_tcp(str(ip), port, timeout, local_address,
                                               socket_options)
            except httpcore.ConnectError as e:  # try the next address, as getaddrinfo users do
                error = e
        assert error is not None
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise BlockedURLError(f"{path}: refused: unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
