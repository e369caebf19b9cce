"""read_message on messages as mail clients and servers really send them: headers, bodies, structure."""

from __future__ import annotations

import base64
import dataclasses
import re

import pytest

from aupguard.engine.mail import DEFAULT_LIMITS, Limits, MessageError, ParsedMessage, read_message
from tests.engine.mail import build


def read(raw: bytes, limits: Limits = DEFAULT_LIMITS, **kwargs: object) -> ParsedMessage:
    return read_message(raw, limits, **kwargs)  # type: ignore[arg-type]


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("latin-1")


# --- addresses and headers -------------------------------------------------------------------------


def test_it_reads_addresses_lower_cased_with_display_names_that_hold_commas() -> None:
    msg = build.message(
        sender='"Smith, Jo" <Jo.Smith@School.Example>',
        to='Parent One <P1@Gmail.com>, "Doe, Ann" <ann@Example.org>',
        headers={"Cc": "Head <HEAD@school.example>", "Bcc": "hidden@other.example"},
    )
    parsed = read(bytes(msg))
    assert parsed.sender == "jo.smith@school.example"
    assert parsed.sender_name == "Smith, Jo"
    assert parsed.to == ("p1@gmail.com", "ann@example.org")
    assert parsed.cc == ("head@school.example",)
    assert parsed.bcc == ("hidden@other.example",)


def test_it_takes_bcc_from_the_envelope_when_the_relay_knows_it() -> None:
    msg = build.message(to="a@x.example", headers={"Cc": "b@y.example"})
    parsed = read(
        bytes(msg), envelope_recipients=["A@x.example", "<B@y.example>", "c@z.example", "d@z.example"]
    )
    assert parsed.bcc == ("c@z.example", "d@z.example")


def test_it_decodes_rfc2047_subjects_in_base64_and_quoted_printable() -> None:
    raw = crlf(
        "From: a@school.example\n"
        "Subject: =?utf-8?B?U2FmZWd1YXJkaW5nOiDDiWxvw69zZQ==?= and\n"
        " =?iso-8859-1?Q?caf=E9_=A35?=\n\nbody\n"
    )
    assert read(raw).subject == "Safeguarding: Éloïse and café £5"


def test_it_joins_adjacent_encoded_words_whose_characters_span_them() -> None:
    # "é" is two UTF-8 bytes; some clients split them over two encoded words.
    raw = crlf("From: a@school.example\nSubject: =?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?=\n\nbody\n")
    assert read(raw).subject == "café"


def test_it_survives_raw_8bit_headers_and_unknown_charsets_in_encoded_words() -> None:
    raw = (
        b"From: J\xc3\xb6rg <jorg@school.example>\r\n"
        b"Subject: =?x-unknown?Q?Caf=E9?= \xe9t\xe9\r\n\r\nbody\r\n"
    )
    parsed = read(raw)
    assert parsed.sender_name == "Jörg"
    assert parsed.subject == "Café été"


def test_it_keeps_the_headers_of_interest_decoded_with_lower_case_names() -> None:
    msg = build.message(headers={"Sensitivity": "Company-Confidential", "X-Unrelated": "x"})
    parsed = read(bytes(msg))
    assert parsed.headers["message-id"] == "<test-1@school.example>"
    assert parsed.headers["sensitivity"] == "Company-Confidential"
    assert "x-unrelated" not in parsed.headers


# --- bodies ----------------------------------------------------------------------------------------


def test_it_turns_an_html_only_body_into_text_without_tags_or_script() -> None:
    html = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Dear Mr&nbsp;O&#39;Brien &amp; Mrs Patel,</p><script>var card='5555';</script>"
        "<p>Fees: &pound;120</p><div>Kind regards<br>Jo</div></body></html>"
    )
    parsed = read(bytes(build.message(None, html=html)))
    assert parsed.body == "Dear Mr O'Brien & Mrs Patel,\n\nFees: £120\n\nKind regards\nJo"
    assert parsed.signature_block.endswith("Kind regards\nJo")


def test_it_reads_the_plain_alternative_and_adds_what_only_the_html_shows() -> None:
    msg = build.message(
        "Please see the minutes below.\n\nThanks, Jo",
        html="<p>Please see the <b>minutes</b> below.</p><p style='display:none'>UPN A123456789012</p>"
        "<p>Thanks, Jo</p>",
    )
    parsed = read(bytes(msg))
    assert parsed.body.startswith("Please see the minutes below.")
    assert parsed.body.count("Please see the minutes") == 1  # the HTML's copy is not repeated
    assert "UPN A123456789012" in parsed.body


def test_it_reads_a_body_declared_in_the_wrong_charset() -> None:
    utf8_as_latin1 = (
        b"From: a@school.example\r\nSubject: x\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nZo\xc3\xab Br\xc3\xb6nte\r\n"
    )
    assert read(utf8_as_latin1).body == "Zoë Brönte"
    cp1252_as_utf8 = (
        b"From: a@school.example\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nFees \x80120 \x96 paid\r\n"
    )
    assert read(cp1252_as_utf8).body == "Fees €120 – paid"
    unknown = (
        b"From: a@school.example\r\nSubject: x\r\nContent-Type: text/plain; charset=klingon-8\r\n\r\n"
        b"caf\xe9\r\n"
    )
    assert read(unknown).body == "café"


def test_it_decodes_quoted_printable_and_reads_broken_base64_as_far_as_it_goes() -> None:
    qp = crlf(
        "From: a@school.example\nSubject: x\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "Zo=C3=AB has a very long line that is =\nsoft-broken\n"
    )
    assert read(qp).body == "Zoë has a very long line that is soft-broken"
    broken = crlf(
        "From: a@school.example\nSubject: x\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode(b"Card number 4111 1111 1111 1111 in here").decode()[:-3]
        + "!!*\n"
    )
    assert read(broken).body.startswith("Card number 4111 1111 1111 1111")


def test_it_reads_a_multipart_whose_boundary_is_missing_as_plain_text() -> None:
    raw = crlf(
        "From: a@school.example\nSubject: x\nContent-Type: multipart/mixed\n\n"
        "--zz\nContent-Type: text/plain\n\nNI number QQ123456C\n--zz--\n"
    )
    parsed = read(raw)
    assert "QQ123456C" in parsed.body
    assert any("without a usable boundary" in note for note in parsed.notes)


def test_it_reads_very_long_lines_and_garbage_bytes_without_raising() -> None:
    line = "word " * 90_000  # one 450 KB line
    parsed = read(crlf(f"From: a@school.example\nSubject: x\n\n{line}\n"))
    assert len(parsed.body) == len(line.strip())
    garbage = b"From: a@school.example\r\nSubject: x\r\n\r\n" + bytes(range(256)) * 50
    assert read(garbage).body  # read as text with replacement characters, not an exception


def test_it_takes_the_signature_block_from_above_the_quoted_reply() -> None:
    body = (
        "Thanks, that works.\n\nBest wishes\nOffice Team\n\n"
        "On Mon, 2 Sep 2024 at 09:00, Parent <parent@gmail.com> wrote:\n> Can I book a meeting?\n> Thanks\n"
    )
    assert read(bytes(build.message(body))).signature_block == "Thanks, that works.\nBest wishes\nOffice Team"
    delimited = "Hello\n\n-- \nMrs J Smith\nDeputy Head\n"
    assert read(bytes(build.message(delimited))).signature_block == "Mrs J Smith\nDeputy Head"


# --- structure -------------------------------------------------------------------------------------


def test_it_walks_a_forwarded_message_and_reads_the_pdf_inside_it() -> None:
    inner = build.message(
        "Original message text about Ann Smith",
        subject="Referral",
        attachments=[(build.pdf("Card 4111 1111 1111 1111"), "x.pdf", "application/pdf")],
    )
    outer = build.message("See below")
    outer.add_attachment(inner, filename="fwd.eml")
    parsed = read(bytes(outer))
    assert parsed.body == "See below"
    by_where = {a.where: a for a in parsed.attachments}
    assert by_where["attachment:fwd.eml"].text == "Referral\n\nOriginal message text about Ann Smith"
    assert by_where["attachment:fwd.eml"].declared_type == "message/rfc822"
    assert by_where["attachment:fwd.eml/x.pdf"].text == "Card 4111 1111 1111 1111"
    assert by_where["attachment:fwd.eml/x.pdf"].real_type == "pdf"
    assert (by_where["attachment:fwd.eml"].depth, by_where["attachment:fwd.eml/x.pdf"].depth) == (0, 1)


def test_it_reads_a_forwarded_message_sent_base64_encoded() -> None:
    inner = b"From: q@x.example\r\nSubject: Inner\r\n\r\nthe inner body\r\n"
    raw = crlf(
        "From: a@school.example\nSubject: x\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=XX\n\n"
        "--XX\nContent-Type: text/plain\n\nhi\n--XX\n"
        'Content-Type: message/rfc822\nContent-Disposition: attachment; filename="old.eml"\n'
        "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(inner).decode() + "--XX--\n"
    )
    (attachment,) = read(raw).attachments
    assert attachment.where == "attachment:old.eml"
    assert attachment.text == "Inner\n\nthe inner body"


def test_it_names_an_unnamed_forwarded_message_after_its_subject() -> None:
    inner = build.message("body", subject="Budget 2024/25")
    outer = build.message("fyi")
    outer.add_attachment(inner)
    (attachment,) = read(bytes(outer)).attachments
    assert attachment.filename == ""
    assert attachment.where == "attachment:Budget 2024_25.eml"


def test_it_decodes_rfc2231_and_rfc2047_attachment_names() -> None:
    raw = crlf(
        "From: a@school.example\nSubject: x\nContent-Type: multipart/mixed; boundary=B\n\n"
        "--B\nContent-Type: text/plain\n"
        "Content-Disposition: attachment; filename*=utf-8''Zo%C3%AB%20notes.txt\n\n"
        'a\n--B\nContent-Type: text/plain; name="=?utf-8?B?w4lsb8Ovc2UudHh0?="\n'
        "Content-Disposition: attachment\n\n"
        "b\n--B\nContent-Type: text/plain\n"
        'Content-Disposition: attachment; filename="C:\\Users\\jo\\plan.txt"\n\n'
        "c\n--B--\n"
    )
    assert [a.filename for a in read(raw).attachments] == ["Zoë notes.txt", "Éloïse.txt", "plan.txt"]


# --- encryption and forwarding ---------------------------------------------------------------------


def test_it_marks_an_smime_encrypted_message_and_does_not_read_its_content() -> None:
    raw = crlf(
        "From: a@school.example\nTo: b@partner.example\nSubject: Report\nMIME-Version: 1.0\n"
        'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\n'
        "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(bytes(range(256))).decode()
    )
    parsed = read(raw)
    assert parsed.encrypted
    assert parsed.attachments == ()
    assert parsed.notes == ("message: S/MIME encrypted; its content cannot be read",)


def test_it_marks_a_pgp_mime_encrypted_message() -> None:
    raw = crlf(
        "From: a@school.example\nSubject: Report\nMIME-Version: 1.0\n"
        'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=P\n\n'
        "--P\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--P\n"
        "Content-Type: application/octet-stream\n\n"
        "-----BEGIN PGP MESSAGE-----\nhQEMA\n-----END PGP MESSAGE-----\n"
        "--P--\n"
    )
    parsed = read(raw)
    assert parsed.encrypted
    assert parsed.body == ""


def test_a_signed_but_not_encrypted_message_is_read_and_not_marked_encrypted() -> None:
    raw = crlf(
        "From: a@school.example\nSubject: x\nMIME-Version: 1.0\n"
        'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary=S\n\n'
        "--S\nContent-Type: text/plain\n\nCard 4111 1111 1111 1111\n--S\n"
        'Content-Type: application/pkcs7-signature; name="smime.p7s"\n\nMIIB\n--S--\n'
    )
    parsed = read(raw)
    assert not parsed.encrypted
    assert parsed.body == "Card 4111 1111 1111 1111"
    assert parsed.attachments == ()  # the signature is not an attachment a user chose to send


@pytest.mark.parametrize(
    ("headers", "forwarded"),
    [
        ({"Auto-Submitted": "auto-forwarded"}, True),
        ({"X-MS-Exchange-Inbox-Rules-Loop": "jo.teacher@school.example"}, True),
        ({"X-MS-Exchange-Organization-AutoForwarded": "true"}, True),
        ({"X-Forwarded-To": "jo@gmail.com"}, True),
        ({"Resent-From": "jo.teacher@school.example", "From": "parent@gmail.com"}, True),
        # an out-of-office reply passes through the same Exchange rule machinery
        ({"X-MS-Exchange-Inbox-Rules-Loop": "jo@school.example", "Auto-Submitted": "auto-replied"}, False),
        ({"Auto-Submitted": "auto-generated"}, False),  # a report from the MIS is not a forward
        ({"X-Forwarded-For": "10.0.0.1"}, False),  # an HTTP proxy's header, not Gmail's
        ({}, False),
    ],
)
def test_it_tells_a_rule_forwarded_message_from_one_a_person_wrote(
    headers: dict[str, str], forwarded: bool
) -> None:
    sender = headers.pop("From", "Jo Teacher <jo.teacher@school.example>")
    parsed = read(bytes(build.message(sender=sender, headers=headers)))
    assert parsed.auto_forwarded is forwarded


# --- limits and unreadable input -------------------------------------------------------------------


def test_it_refuses_empty_input_and_input_that_is_not_a_message() -> None:
    with pytest.raises(MessageError, match="empty message"):
        read(b"  \r\n")
    with pytest.raises(MessageError, match="not an email message"):
        read(build.pdf("hello"))
    with pytest.raises(MessageError, match="not an email message"):
        read(b"Name: Ann\nAge: 9\n\nnot mail")


def test_it_reads_only_the_first_part_of_a_message_over_the_size_limit() -> None:
    raw = bytes(build.message("x" * 200_000))
    parsed = read(raw, Limits(max_message_bytes=50_000))
    assert parsed.size == len(raw)
    assert len(parsed.body) < 50_000
    assert re.fullmatch(
        r"message: 20\d\.\d KB, over the limit of 48\.8 KB; only the first 48\.8 KB read", parsed.notes[0]
    )


def test_it_cuts_text_at_the_character_limit_and_says_so() -> None:
    parsed = read(bytes(build.message("abc " * 1000)), Limits(max_text_chars=100))
    assert parsed.body.startswith("abc abc")
    assert len(parsed.body) <= 100
    assert "body: text cut at 100 characters" in parsed.notes


def test_it_stops_at_the_part_limit_and_says_so() -> None:
    files = [(b"note %d" % i, f"n{i}.txt", "text/plain") for i in range(10)]
    parsed = read(bytes(build.message("hi", attachments=files)), Limits(max_parts=5))
    assert len(parsed.attachments) == 3  # the mixed container, the body and three files
    assert "message: more than 5 parts and archive members; the rest not read" in parsed.notes


def test_it_survives_thousands_of_nested_multiparts() -> None:
    depth = 3000
    head = "".join(f"--b{i}\nContent-Type: multipart/mixed; boundary=b{i + 1}\n\n" for i in range(depth))
    raw = crlf(f"From: a@school.example\nSubject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n{head}")
    parsed = read(raw)
    assert parsed.subject == "deep"
    assert parsed.notes == ("message: MIME parts nested too deeply to read; only the headers were read",)


def test_it_does_not_open_forwarded_messages_nested_past_the_depth_limit() -> None:
    innermost = build.message("deepest text", subject="level 3")
    middle = build.message("middle", subject="level 2")
    middle.add_attachment(innermost, filename="3.eml")
    outer = build.message("outer", subject="level 1")
    outer.add_attachment(middle, filename="2.eml")
    parsed = read(bytes(outer), Limits(max_depth=1))
    assert [a.where for a in parsed.attachments] == ["attachment:2.eml", "attachment:2.eml/3.eml"]
    assert "deepest text" not in parsed.attachments[1].text
    assert (
        "attachment:2.eml/3.eml: forwarded message nested more than 1 levels deep; not read" in parsed.notes
    )


def test_parsed_messages_are_immutable() -> None:
    parsed = read(bytes(build.message()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.subject = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        parsed.headers["date"] = "x"  # type: ignore[index]


def test_it_reads_a_forwarded_message_sent_quoted_printable() -> None:
    raw = crlf(
        "From: a@school.example\nSubject: x\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=XX\n\n"
        "--XX\nContent-Type: message/rfc822\nContent-Transfer-Encoding: quoted-printable\n\n"
        "From: q@x.example\nSubject: Caf=C3=A9\n\nZo=C3=AB's report\n--XX--\n"
    )
    (attachment,) = read(raw).attachments
    assert attachment.text == "Café\n\nZoë's report"


def test_limits_must_be_positive_whole_numbers() -> None:
    with pytest.raises(ValueError, match=r"Limits.max_depth: expected a positive whole number, got 0"):
        Limits(max_depth=0)
    with pytest.raises(ValueError, match=r"Limits.max_parts: expected a positive whole number, got 2.5"):
        Limits(max_parts=2.5)  # type: ignore[arg-type]
