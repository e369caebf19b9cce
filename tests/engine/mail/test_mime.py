"""mime.parse builds exactly the standard library's tree, or leaves the message to the standard library.

Every message here is parsed both ways and the trees compared field by field: headers as stored,
payloads as stored (8-bit text still surrogate-escaped), preambles, epilogues, defects and types.
"""

from __future__ import annotations

import random
from email import policy
from email.message import Message
from email.parser import BytesParser

import pytest

from aupguard.engine.mail import mime


def tree(msg: Message) -> dict[str, object]:
    payload = msg._payload  # type: ignore[attr-defined]  # as stored, not decoded
    return {
        "type": msg.get_content_type(),
        "headers": list(msg.raw_items()),
        "unixfrom": msg.get_unixfrom(),
        "preamble": msg.preamble,
        "epilogue": msg.epilogue,
        "defects": [type(defect).__name__ for defect in msg.defects],
        "default_type": msg.get_default_type(),
        "payload": [tree(part) for part in payload] if isinstance(payload, list) else payload,
    }


def standard(data: bytes) -> Message:
    return BytesParser(policy=policy.compat32).parsebytes(data)


def assert_same_or_left(data: bytes) -> bool:
    """True when mime.parse built the tree (and it is the standard library's); False when it left it."""
    fast = mime.parse(data)
    if fast is None:
        return False
    assert tree(fast) == tree(standard(data))
    return True


ALTERNATIVE = (
    b"From: Ann Head <head@school.example>\r\n"
    b"To: Ben <ben@example.com>,\r\n\tCat <cat@example.com>\r\n"
    b"Subject: =?utf-8?q?Trip_=E2=80=93_Year_5?=\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="outer"\r\n'
    b"\r\n"
    b"This is a multi-part message in MIME format.\r\n"
    b"--outer\r\n"
    b'Content-Type: multipart/alternative; boundary="inner"\r\n'
    b"\r\n"
    b"--inner\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Dear Ben,\r\n\r\nThe trip \xe2\x80\x93 Thursday.\r\n--inner-not-a-boundary\r\n\r\n"
    b"--inner \t\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"<p>Dear Ben,</p><p>The trip =E2=80=93 Thursday.</p>\r\n"
    b"--inner--\r\n"
    b"inner epilogue\r\n"
    b"--outer\r\n"
    b'Content-Type: text/csv; name="list.csv"\r\n'
    b"Content-Disposition: attachment; filename=list.csv\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n"
    b"bmFtZSxmZWUKWm/DqyzCozEyCg==\r\n"
    b"--outer--\r\n"
    b"the end\r\n"
)

BUILT = [
    ALTERNATIVE,
    ALTERNATIVE.replace(b"\r\n", b"\n"),
    b"From: a@b.example\nSubject: plain\n\nHello\n\nKind regards\n",
    b"From: a@b.example\nSubject: no body\n\n",
    b"From sender@example.com Mon Jan  1 00:00:00 2024\nFrom: a@b.example\n\nbody\n",
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nno headers in this part\n--b--",
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n"
    b"--b\nContent-Type: text/plain\n\none\n--b\n\ntwo\n--b--\n",
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\npreamble\n\n--b\n\none\n--b--",
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n\n--b\n\none\n--b--\n\n",
    b'Subject: x\nContent-Type: multipart/mixed; boundary="a b"\n\n--a b\n\none\n--a b--\n',
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b--\n\n--b--\n\none\n--b----\n",
    b"Subject: \xc3\xa9t\xc3\xa9\nFrom: \xe9@example.com\n\n8-bit headers and body \xe9\n",
]

# Shapes left to the standard library: each would otherwise need its own handling.
LEFT = [
    b"Subject: lone CR\rFrom: a@b\r\rbody\r",
    b" continuation first\nSubject: x\n\nbody\n",
    b"Subject: x\n: no name\n\nbody\n",
    b"Subject: x\nnot a header line\n\nbody\n",
    b"Subject: x\nFrom late@example.com\n\nbody\n",
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\none\n",  # no closing boundary
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\nno boundary at all\n",
    b"Subject: x\nContent-Type: multipart/mixed\n\n--b\n\none\n--b--\n",  # no boundary parameter
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\n--b\n\none\n--b--\n",  # empty part
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: base64\n\n"
    b"--b\n\n1\n--b--",
    b"Subject: x\nContent-Type: multipart/digest; boundary=b\n\n--b\n\nSubject: y\n\nz\n--b--\n",
    b"Subject: x\nContent-Type: message/rfc822\n\nSubject: inner\n\nbody\n",
    b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n"
    b"--b\nContent-Type: message/rfc822\n\nSubject: i\n\nb\n--b--",
    b"Subject: x",  # no blank line after the headers
]


@pytest.mark.parametrize("data", BUILT)
def test_it_builds_the_standard_librarys_tree(data: bytes) -> None:
    assert assert_same_or_left(data)


@pytest.mark.parametrize("data", LEFT)
def test_it_leaves_other_shapes_to_the_standard_library(data: bytes) -> None:
    assert mime.parse(data) is None


def test_a_mutated_message_is_built_the_same_or_left() -> None:
    rng = random.Random(2026)  # noqa: S311 - reproducible test data, not secrets
    inserts = [b"\n", b"\r\n", b"\r", b"--", b" ", b"\t", b":", b"From x\n", b"--outer\r\n", b"--inner--\r\n"]
    built = 0
    for _ in range(1500):
        data = bytearray(rng.choice(BUILT[:2]))
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(data) + 1)
            if rng.random() < 0.6:
                data[at:at] = rng.choice(inserts)
            else:
                del data[at : at + rng.randint(1, 20)]
        built += assert_same_or_left(bytes(data))
    assert built > 300  # most small changes keep a shape that is built here
