"""Every form a host or URL reaches the web guard in, normalised to one."""

from __future__ import annotations

import pytest

from aupguard.engine.web.hosts import is_ip_literal, normalise_host, split_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("example.com", "example.com"),
        ("WWW.Example.COM.:8080", "www.example.com"),
        ("Example.COM.", "example.com"),
        ("user:pw@host.example", "host.example"),
        ("user@host.example:8443", "host.example"),
        ("teams.microsoft.com:443", "teams.microsoft.com"),
        ("10.0.0.1", "10.0.0.1"),
        ("10.0.0.1:3128", "10.0.0.1"),
        ("example.com:", "example.com"),
        ("[::1]:443", "::1"),
        ("[::1]", "::1"),
        ("[2001:DB8:0:0::1]:443", "2001:db8::1"),
        ("::1", "::1"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.Example", "xn--bcher-kva.example"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.example:443", "xn--bcher-kva.example"),
        ("пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f"),
        ("  spaced.example  ", "spaced.example"),
        ("under_score.example", "under_score.example"),
        ("localhost", "localhost"),
    ],
)
def test_normalise_host(value: str, expected: str) -> None:
    assert normalise_host(value) == expected


def test_a_name_the_idna_codec_refuses_is_kept_lower_cased() -> None:
    # A label longer than 63 characters once encoded: the codec refuses it; the name stays usable.
    long_label = "ü" * 70
    assert normalise_host(f"{long_label.upper()}.example") == f"{long_label}.example"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty host"),
        ("   ", "empty host"),
        ("exa mple.com", "invalid character"),
        ("user@", "no host"),
        (":443", "no host"),
        ("example.com:http", "port"),
        ("[::1", "unclosed"),
        ("[::1]x", "port"),
        ("[not-an-address]", "IPv6"),
        ("a..example.com", "empty label"),
        ("host/path", "invalid character"),
    ],
)
def test_unusable_hosts_are_refused_with_a_message(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_host(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com/a/b?c=d#frag", ("www.example.com", "/a/b?c=d")),
        ("HTTP://WWW.Example.COM.:8080/Path", ("www.example.com", "/Path")),
        ("http://user:pw@host.example/x", ("host.example", "/x")),
        ("https://example.com", ("example.com", "/")),
        ("https://example.com?q=1", ("example.com", "/?q=1")),
        ("example.com/path", ("example.com", "/path")),
        ("example.com", ("example.com", "/")),
        ("teams.microsoft.com:443", ("teams.microsoft.com", "/")),
        ("http://[::1]:8080/x", ("::1", "/x")),
        ("[::1]:443", ("::1", "/")),
        ("http://10.0.0.1/admin", ("10.0.0.1", "/admin")),
        ("//cdn.example.net/lib.js", ("cdn.example.net", "/lib.js")),
        ("https://bücher.example/ü", ("xn--bcher-kva.example", "/ü")),
        ("ftp://files.example.org/pub", ("files.example.org", "/pub")),
        ("  https://example.com/x  ", ("example.com", "/x")),
        ("https://example.com/a path/with spaces", ("example.com", "/a path/with spaces")),
    ],
)
def test_split_url(url: str, expected: tuple[str, str]) -> None:
    assert split_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty URL"),
        ("   ", "empty URL"),
        ("http://", "no host"),
        ("http:///path", "no host"),
        ("https://user@/x", "no host"),
        ("/just/a/path", "no host"),
        ("http://exa mple.com/", "invalid character"),
        ("http://example.com:abc/", "port"),
    ],
)
def test_unusable_urls_are_refused_with_a_message(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split_url(url)


def test_ip_literals() -> None:
    assert is_ip_literal("10.0.0.1")
    assert is_ip_literal("::1")
    assert not is_ip_literal("example.com")
    assert not is_ip_literal("1.example.com")
