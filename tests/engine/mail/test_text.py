"""Charsets and HTML: the two places where mail most often says one thing and means another."""

from __future__ import annotations

import time

import pytest

from aupguard.engine.mail.charsets import decode_header, decode_text
from aupguard.engine.mail.html import html_to_text


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        (b"plain ascii", "utf-16", "plain ascii"),  # ASCII is ASCII whatever the label
        ("Zoë".encode(), "iso-8859-1", "Zoë"),  # mislabelled UTF-8
        ("Zoë".encode("latin-1"), "utf-8", "Zoë"),  # mislabelled Latin-1
        ("£5 – €6".encode("cp1252"), None, "£5 – €6"),  # no label: Windows-1252
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),  # a correct label is used
        ("naïve".encode("utf-16"), "us-ascii", "naïve"),  # a byte order mark decides
        (b"caf\xe9", "base64", "café"),  # a codec that is not a charset is ignored
        (b"caf\xe9", "no-such-charset", "café"),
        (b"\x81\x8d", "utf-8", "\ufffd\ufffd"),  # bytes no charset maps are replaced, never raised
    ],
)
def test_decode_text_reads_what_the_bytes_are_not_what_the_label_says(
    data: bytes, charset: str | None, text: str
) -> None:
    assert decode_text(data, charset) == text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("=?UTF-8?B?w4lsb8Ovc2U=?=", "Éloïse"),
        ("=?iso-8859-1?q?caf=E9_cr=E8me?=", "café crème"),
        ("a =?utf-8?q?b?=  =?utf-8?q?c?= d", "a bc d"),  # space between encoded words is dropped
        ("=?utf-8*en?Q?lang_suffix?=", "lang suffix"),  # RFC 2231 language in an encoded word
        ("=?utf-8?B?Q2Fmw6k!?=", "Café"),  # bad base64 is read as far as it goes
        ("no encoded words\r\n folded", "no encoded words folded"),
        ("=?utf-8?Q?unterminated", "=?utf-8?Q?unterminated"),
    ],
)
def test_decode_header_decodes_rfc2047_words_tolerantly(raw: str, text: str) -> None:
    assert decode_header(raw) == text


@pytest.mark.parametrize(
    ("document", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("Line<br>break<br/>again", "Line\nbreak\nagain"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
        ("<div>\n  <div>nested</div>\n</div><div>next</div>", "nested\nnext"),
        ("<p>para</p><div>line</div><br><br>after", "para\n\nline\n\nafter"),
        ("<table><tr><td>Smith</td><td>John</td></tr></table>", "Smith\tJohn"),
        ("a &amp; b &lt;c&gt; &#163;1 &euro;2 &nbsp;x", "a & b <c> £1 €2 x"),
        ("   lots   of\n\n  space  ", "lots of space"),
        ("<pre>keep\n  this</pre>", "keep\nthis"),
        ("<script>alert('x')</script>shown<style>p{}</style>", "shown"),
        ("<title>Tab title</title><body>Body</body>", "Body"),
        ("<!-- a comment -->visible", "visible"),
        ("before<script>never closed <p>hidden", "before"),
        ("unclosed <!-- comment", "unclosed"),
        ("if a < b and c<d then", "if a < b and c<d then"),
        ("<a href=\"x>y\" title='1>0'>link</a>", "link"),
        ("<!DOCTYPE html><?xml version='1.0'?><![CDATA[x]]>text", "text"),  # CDATA is a bogus comment in HTML
    ],
)
def test_html_to_text_keeps_what_a_reader_sees(document: str, text: str) -> None:
    assert html_to_text(document) == text


@pytest.mark.parametrize("unit", ['<a<a"', "<a ", "<!--", "<script>", '<a "x>'])
def test_html_to_text_stays_linear_on_hostile_markup(unit: str) -> None:
    started = time.perf_counter()
    html_to_text(unit * 100_000)
    assert time.perf_counter() - started < 2.0


def test_the_attribute_expression_matches_what_the_character_by_character_one_matched() -> None:
    # html._ATTRIBUTES is written as possessive runs between quoted values for speed; it must match
    # exactly the tags the plain alternation matched, ending at the same ">".
    import random
    import re

    from aupguard.engine.mail import html

    plain = r"(?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*"
    rng = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    pieces = ['"', "'", "<", ">", " ", "a", "=", "x y", '">"', "'>'", "-", ":", "\n", "é"]
    for head in (r"p\b", r"br\b", r"[a-z/][a-z0-9:-]*"):  # a named tag, and any tag
        fast = re.compile(f"<{head}{html._ATTRIBUTES}>")
        slow = re.compile(f"<{head}{plain}>")
        for _ in range(3000):
            name = rng.choice(["p", "br", "div", "/p"])
            text = "<" + name + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
            a, b = fast.search(text), slow.search(text)
            assert (a and a.span()) == (b and b.span()), text
