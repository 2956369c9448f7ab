"""`armstrace.ingest.ssrf`: which addresses and URLs the fetcher may contact."""

from __future__ import annotations

import ipaddress

import pytest

from armstrace.errors import BlockedURLError
from armstrace.ingest.ssrf import AddressPolicy, refusal_reason


@pytest.mark.parametrize(
    "address, reason",
    [
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "cloud metadata service"),
        ("fd00:ec2::254", "cloud metadata service"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "private"),  # reserved (class E); Python files it under private as well
        ("::ffff:10.0.0.1", "private, inside an IPv6 address"),
        ("64:ff9b::7f00:1", "loopback, inside an IPv6 address"),
        ("2002:c0a8:0101::1", "private, inside an IPv6 address"),
    ],
)
def test_refusal_reason(address: str, reason: str | None) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://user:pw@news.example/", "credentials in URL"),
        ("http:///no-host", "no host"),
        ("JavaScript:alert(1)", "javascript: URLs are not fetched"),
        ("//news.example/x", "no scheme URLs are not fetched"),
        ("http://news.example:99999/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused(url: str, message: str) -> None:
    policy = AddressPolicy(resolver=lambda host, port: ["93.184.216.34"])
    with pytest.raises(BlockedURLError, match=message):
        policy.check_url(url)


def test_a_name_with_any_inside_address_is_refused() -> None:
    policy = AddressPolicy(resolver=lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(BlockedURLError, match=r"10\.0\.0\.7 is private"):
        policy.check_url("https://mixed.example/")


def test_allowances() -> None:
    inside = AddressPolicy.allowing(["10.0.0.0/8"], resolver=lambda host, port: ["10.9.9.9"])
    inside.check_url("http://intranet.example/feed.xml")
    with pytest.raises(BlockedURLError):
        inside.check_url("http://127.0.0.1/")
    AddressPolicy(allow_private=True).check_url("http://127.0.0.1/")
    with pytest.raises(BlockedURLError, match="file: URLs"):
        AddressPolicy(allow_private=True).check_url("file:///etc/passwd")
