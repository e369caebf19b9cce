"""Each email check on messages written the way the seed policies' own rules describe them.

Every positive has a negative beside it that a naive rule would get wrong.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from aupguard.engine.approvals import Approval, Approvals
from aupguard.engine.checks.context import People
from aupguard.engine.decision import Decision
from tests.engine.checks.conftest import AT, SCHOOL, Decide, compiled, eml, finding, fired
from tests.engine.mail import build

PARENT_A = "p.mensah@gmail.com"  # Oliver Mensah's contact
PARENT_B = "clarke.family@yahoo.co.uk"  # Amelia (Millie) Clarke's contact
PROVIDER = "bookings@coachesltd.co.uk"


def _parents(n: int) -> list[str]:
    return [f"parent{i}@example.org" for i in range(n)]


# --- email.card_number (wells: "Transmit PIN ... or PAN ... via email ... unless appropriately encrypted")


def test_a_card_number_in_the_body_is_blocked_and_shown_redacted(decide: Decide) -> None:
    d = decide("wells", eml(to=[PROVIDER], body="Please charge the trip to 4111 1111 1111 1111, exp 09/28."))
    f = finding(d, "email.card_number")
    assert f["action"] == "block"
    assert d.verdict == "block"
    assert f["evidence"] == "4111 **** **** 1111"
    assert f["clause"] == compiled("wells").rule("email.card_number").clause  # type: ignore[union-attr]
    assert "1111 1111 1111" not in str(d.as_dict())


def test_a_card_number_in_an_attachment_names_the_attachment(decide: Decide) -> None:
    csv = b"name,card\nPTA float,5555 5555 5555 4444\n"
    d = decide("wells", eml(to=[PROVIDER], attachments=[("float.csv", csv, "text/csv")]))
    assert finding(d, "email.card_number")["where"] == "attachment:float.csv"


def test_an_order_number_of_sixteen_digits_is_not_a_card(decide: Decide) -> None:
    d = decide("wells", eml(to=[PROVIDER], body="Your order 1234 5678 9012 3456 has shipped."))
    assert "email.card_number" not in fired(d)


def test_a_card_number_sent_through_egress_is_allowed(decide: Decide) -> None:
    d = decide("wells", eml(to=[PROVIDER], subject="[egress] Trip payment", body="Card 4111 1111 1111 1111"))
    assert "email.card_number" not in fired(d)


# --- recipients: BCC for more than one third party, at most 10 in BCC, bulk needs authorisation


def test_two_parents_in_to_must_be_in_bcc(decide: Decide) -> None:
    d = decide("wells", eml(to=[PARENT_A, PARENT_B]))
    assert "2 external recipients" in str(finding(d, "email.recipients_visible")["evidence"])


def test_one_parent_with_colleagues_in_cc_is_fine(decide: Decide) -> None:
    d = decide("wells", eml(to=[PARENT_A], cc=[f"j.ward@{SCHOOL}", f"t.osei@{SCHOOL}"]))
    assert "email.recipients_visible" not in fired(d)


def test_two_officers_of_the_same_council_may_see_each_other(decide: Decide) -> None:
    d = decide("wells", eml(to=["a.jones@redbridge.gov.uk", "b.singh@redbridge.gov.uk"]))
    assert "email.recipients_visible" not in fired(d)


def test_eleven_in_bcc_is_over_the_limit_of_ten_and_ten_is_not(decide: Decide) -> None:
    over = decide("wells", eml(to=[f"j.ward@{SCHOOL}"], bcc=_parents(11)))
    assert finding(over, "email.bcc_over_limit")["evidence"] == "11 Bcc recipients (limit 10)"
    at_limit = decide("wells", eml(to=[f"j.ward@{SCHOOL}"], bcc=_parents(10)))
    assert "email.bcc_over_limit" not in fired(at_limit)


def test_bcc_recipients_known_only_from_the_envelope_count(decide: Decide) -> None:
    # The relay sees Bcc recipients only in RCPT TO; the header is gone by then.
    raw = eml(to=[f"j.ward@{SCHOOL}"])
    d = decide("wells", raw, envelope=[f"j.ward@{SCHOOL}", *_parents(12)])
    assert "email.bcc_over_limit" in fired(d)


def test_bulk_email_needs_an_approval_and_an_approval_lets_it_through(decide: Decide) -> None:
    settings = compiled("wells").pack.settings
    assert settings.bulk_threshold is not None
    raw = eml(to=[f"j.ward@{SCHOOL}"], bcc=_parents(settings.bulk_threshold + 1))
    assert "email.bulk_unauthorised" in fired(decide("wells", raw))
    approval = Approval(
        "A-1", "bulk_email", f"a.khan@{SCHOOL}", "", AT - dt.timedelta(days=1), AT + dt.timedelta(days=1)
    )
    assert "email.bulk_unauthorised" not in fired(decide("wells", raw, approvals=Approvals((approval,))))
    expired = Approvals(
        (Approval("A-2", "bulk_email", f"a.khan@{SCHOOL}", "", AT - dt.timedelta(days=9), AT),)
    )
    assert "email.bulk_unauthorised" in fired(decide("wells", raw, approvals=expired))


# --- names: never a child's full name in the subject; only where necessary in the body


def test_a_pupil_named_in_the_subject_in_any_order_and_case(decide: Decide) -> None:
    for subject in ("Oliver Mensah - reading book", "MENSAH, Oliver", "millie clarke absence"):
        d = decide("wells", eml(to=[f"j.ward@{SCHOOL}"], subject=subject))
        assert "email.pupil_name_in_subject" in fired(d), subject
    f = finding(decide("wells", eml(subject="Zoe Kowalczyk's reading")), "email.pupil_name_in_subject")
    assert f["evidence"] == "Z. K."


def test_initials_or_a_first_name_alone_in_the_subject_are_fine(decide: Decide) -> None:
    for subject in ("OM - reading book", "Oliver's reading book", "Smith & Co invoice"):
        d = decide("wells", eml(to=[f"j.ward@{SCHOOL}"], subject=subject))
        assert "email.pupil_name_in_subject" not in fired(d), subject


def test_a_full_name_in_the_body_is_a_warning(decide: Decide) -> None:
    d = decide("wells", eml(to=[PARENT_A], body="Oliver Mensah did very well in his maths test today."))
    assert finding(d, "email.full_names_in_body")["action"] in ("warn", "log", "alert")
    assert "email.pupil_name_in_subject" not in fired(d)


# --- personal data: Egress for sensitive information, encrypted to webmail


def test_a_named_pupil_with_a_safeguarding_concern_to_an_outside_address_is_held(decide: Decide) -> None:
    body = "Oliver Mensah disclosed a safeguarding concern this morning; please call me."
    d = decide("wells", eml(to=["duty.team@childrens-services.org.uk"], body=body))
    f = finding(d, "email.personal_data_unencrypted")
    assert str(f["evidence"]).startswith("O. M. with '")
    assert "email.personal_webmail" not in fired(d)


def test_the_same_concern_to_a_gmail_address_is_personal_webmail_too(decide: Decide) -> None:
    body = "Oliver Mensah disclosed a safeguarding concern this morning."
    d = decide("wells", eml(to=[PARENT_A], body=body))
    assert {"email.personal_data_unencrypted", "email.personal_webmail"} <= fired(d)


def test_the_same_concern_between_colleagues_or_through_egress_is_fine(decide: Decide) -> None:
    body = "Oliver Mensah disclosed a safeguarding concern this morning."
    internal = decide("wells", eml(to=[f"t.osei@{SCHOOL}"], body=body))
    assert "email.personal_data_unencrypted" not in fired(internal)
    egress = decide("wells", eml(to=[PARENT_A], subject="[Egress] Oliver", body=body))
    assert not {"email.personal_data_unencrypted", "email.personal_webmail"} & fired(egress)


def test_a_safeguarding_newsletter_that_names_no_one_is_not_personal_data(decide: Decide) -> None:
    body = "Our safeguarding policy and the EHCP review dates are on the website."
    d = decide("wells", eml(to=[PARENT_A], body=body))
    assert "email.personal_data_unencrypted" not in fired(d)


def test_a_national_insurance_number_in_a_spreadsheet_is_personal_data(decide: Decide) -> None:
    csv = b"name,ni\nSupply teacher,AB 12 34 56 C\n"
    d = decide("wells", eml(to=["payroll@agency.co.uk"], attachments=[("staff.csv", csv, "text/csv")]))
    f = finding(d, "email.personal_data_unencrypted")
    assert f["where"] == "attachment:staff.csv"
    assert f["evidence"] == "AB ** ** ** C"


# --- own personal address, auto-forwarding, generic accounts, chain letters, offensive language


def test_sending_to_your_own_gmail_from_the_directory(decide: Decide) -> None:
    d = decide("wells", eml(to=["aisha.khan1985@gmail.com"], subject="marking to finish at home"))
    assert "personal address in the directory" in str(finding(d, "email.own_personal_address")["evidence"])


def test_sending_to_a_webmail_address_in_your_own_name_without_a_directory(decide: Decide) -> None:
    raw = eml(
        sender="l.brown@wells.redbridge.sch.uk", sender_name="Laura Brown", to=["laurabrown77@hotmail.co.uk"]
    )
    d = decide("wells", raw, people=People())
    assert "webmail address in the sender's name" in str(finding(d, "email.own_personal_address")["evidence"])


def test_writing_to_a_parent_who_shares_your_first_name_is_not_your_own_address(decide: Decide) -> None:
    d = decide("wells", eml(to=["aisha.mensah@gmail.com"]))
    assert "email.own_personal_address" not in fired(d)


def test_an_automatically_forwarded_message_to_an_outside_address(decide: Decide) -> None:
    raw = eml(to=["aisha.k@gmail.com"], headers=[("Auto-Submitted", "auto-forwarded")])
    assert "email.auto_forward_external" in fired(decide("wells", raw))
    by_hand = eml(to=["aisha.k@gmail.com"], subject="FW: minutes")
    assert "email.auto_forward_external" not in fired(decide("wells", by_hand))


def test_outbound_mail_from_a_receive_only_account(decide: Decide) -> None:
    d = decide("wells", eml(sender=f"office@{SCHOOL}", sender_name="School Office", to=[PARENT_A]))
    assert "email.generic_account_outbound" in fired(d)
    assert "email.generic_account_outbound" not in fired(decide("wells", eml(to=[PARENT_A])))


def test_a_chain_letter(decide: Decide) -> None:
    body = "Forward this to 10 people in the next hour or you will have bad luck for a year!"
    assert "email.chain_letter" in fired(decide("wells", eml(to=[f"j.ward@{SCHOOL}"], body=body)))


def test_swearing_is_found_and_masked_and_scunthorpe_is_not(decide: Decide) -> None:
    d = decide("wells", eml(to=[PARENT_A], body="This is a shit way to run a trip."))
    assert finding(d, "email.offensive_language")["evidence"] == "s***"
    clean = "Our Scunthorpe and Essex trips: assessment dates and the class cocktail party."
    assert "email.offensive_language" not in fired(decide("wells", eml(to=[PARENT_A], body=clean)))


# --- attachments renamed or password-protected to evade scanning


def _zip(members: dict[str, bytes], *, encrypted: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    raw = bytearray(buf.getvalue())
    if encrypted:
        # Set the "encrypted" flag bit in every local and central header, as a password tool does.
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (i := raw.find(signature, start)) != -1:
                raw[i + offset] |= 1
                start = i + 4
    return bytes(raw)


def test_an_archive_renamed_to_look_like_a_text_file(decide: Decide) -> None:
    data = _zip({"report.docx": b"not really"})
    d = decide("wells", eml(to=[PROVIDER], attachments=[("notes.txt", data, "text/plain")]))
    f = finding(d, "email.evasive_attachment")
    assert f["where"] == "attachment:notes.txt"
    assert "zip" in str(f["evidence"])


def test_a_password_protected_zip_outside_egress(decide: Decide) -> None:
    data = _zip({"marks.csv": b"a,b\n"}, encrypted=True)
    d = decide("wells", eml(to=[PROVIDER], attachments=[("marks.zip", data, "application/zip")]))
    assert "password-protected" in str(finding(d, "email.evasive_attachment")["evidence"])
    ok = decide(
        "wells", eml(to=[PROVIDER], attachments=[("marks.zip", _zip({"a.csv": b"a"}), "application/zip")])
    )
    assert "email.evasive_attachment" not in fired(ok)


# --- other packs' own rules


def test_wonder_holds_attachments_over_its_size_limit(decide: Decide) -> None:
    limit = compiled("wonder").pack.settings.attachment_limit_mb
    assert limit is not None
    big = b"x" * int((limit + 1) * 1024 * 1024)
    d = decide("wonder", eml(to=[PROVIDER], attachments=[("video.mp4", big, "video/mp4")]))
    assert finding(d, "email.large_attachment")["action"] == "hold"
    small = decide(
        "wonder", eml(to=[PROVIDER], attachments=[("photo.jpg", b"\xff\xd8\xff" + b"x" * 1000, "image/jpeg")])
    )
    assert "email.large_attachment" not in fired(small)


def test_wonder_a_group_account_must_be_signed_with_a_person_s_name(decide: Decide) -> None:
    unsigned = eml(
        sender=f"admissions@{SCHOOL}",
        sender_name="Admissions",
        to=[PARENT_A],
        body="Your place is confirmed.\n\nAdmissions Team\n",
    )
    assert "email.group_account_unsigned" in fired(decide("wonder", unsigned))
    signed = eml(
        sender=f"admissions@{SCHOOL}",
        sender_name="Admissions",
        to=[PARENT_A],
        body="Your place is confirmed.\n\nThomas Osei\nAdmissions\n",
    )
    assert "email.group_account_unsigned" not in fired(decide("wonder", signed))


def test_learning_partnership_confidential_content_belongs_in_an_encrypted_attachment(decide: Decide) -> None:
    body = "STRICTLY CONFIDENTIAL: the panel's decision is attached below in full."
    d = decide("learning-partnership", eml(to=[f"t.osei@{SCHOOL}"], subject="CONFIDENTIAL: panel", body=body))
    assert "in the body" in str(finding(d, "email.confidential_unmarked")["evidence"])


def test_learning_partnership_a_disclaimer_is_not_confidential_content(decide: Decide) -> None:
    body = (
        "See you at 3pm.\n\nThis email and any attachments are private and confidential and intended"
        " solely for the intended recipient."
    )
    d = decide("learning-partnership", eml(to=[PARENT_A], body=body))
    assert "email.confidential_unmarked" not in fired(d)


def test_learning_partnership_confidential_terms_read_across_paragraphs_but_not_in_disclaimers(
    decide: Decide,
) -> None:
    # The body's terms are found in one walk shared with the other checks when it has no disclaimer,
    # and in the body without its disclaimer when it has one: the same terms either way.
    body = "Strictly\n \t\nconfidential: the panel's minutes."
    disclaimer = "\n\nThis email may contain confidential information for the intended recipient."
    for text in (body, body + disclaimer, disclaimer.strip() + "\n\n" + body):
        d = decide("learning-partnership", eml(to=[f"t.osei@{SCHOOL}"], subject="Panel", body=text))
        assert "(strictly confidential)" in str(finding(d, "email.confidential_unmarked")["evidence"]), text
    d = decide("learning-partnership", eml(to=[f"t.osei@{SCHOOL}"], subject="Panel", body=disclaimer.strip()))
    assert "email.confidential_unmarked" not in fired(d)


def test_oak_a_pupil_s_news_sent_to_another_pupil_s_parent_is_misdirected(decide: Decide) -> None:
    body = "Oliver Mensah has been chosen for the football team."
    wrong = decide("oak", eml(to=[PARENT_B], body=body))
    assert "another pupil's contact" in str(finding(wrong, "email.misdirected")["evidence"])
    right = decide("oak", eml(to=[PARENT_A], body=body))
    assert "email.misdirected" not in fired(right)


def test_oak_a_look_alike_of_the_school_s_domain_is_misdirected(decide: Decide) -> None:
    for domain in ("wells.redbrldge.sch.uk", "wels.redbridge.sch.uk", "xn--wlls-v4d.redbridge.sch.uk"):
        d = decide("oak", eml(to=[f"j.ward@{domain}"], body="Minutes attached."))
        assert "looks like" in str(finding(d, "email.misdirected")["evidence"]), domain
    own = decide("oak", eml(to=[f"j.ward@mail.{SCHOOL}"], body="Minutes attached."))
    assert "email.misdirected" not in fired(own)


def test_oak_a_teacher_s_personal_mobile_given_to_a_parent(decide: Decide) -> None:
    body = "Any problems on the trip, text me on 07700 900321.\n\nAisha Khan"
    d = decide("oak", eml(to=[PARENT_A], body=body))
    assert finding(d, "email.staff_personal_contact")["evidence"] == "personal mobile 07*** ***321"
    school_phone = decide("oak", eml(to=[PARENT_A], body="Call the office on 020 8500 1234."))
    assert "email.staff_personal_contact" not in fired(school_phone)


# --- the decision as a whole


def test_the_verdict_is_the_strongest_action_and_a_clean_message_is_allowed(decide: Decide) -> None:
    clean: Decision = decide("wells", eml(to=[f"j.ward@{SCHOOL}"], body="Staff meeting moved to 4pm."))
    assert clean.verdict == "allow"
    assert clean.findings == ()
    mixed = decide("wells", eml(to=[PARENT_A, PARENT_B], body="Card 4111 1111 1111 1111"))
    assert mixed.verdict == "block"
    assert {"email.card_number", "email.recipients_visible"} <= fired(mixed)


def test_one_swear_word_is_one_finding_even_when_five_clauses_forbid_it(decide: Decide) -> None:
    d = decide("wonder", eml(to=[PARENT_A], body="What a shit day."))
    assert [f.check for f in d.findings].count("email.offensive_language") == 1


# --- what cannot be read is never sent unread; what is in documents is read


def test_wells_holds_a_zip_bomb_for_it_support_quoting_its_scanning_clause(decide: Decide) -> None:
    bomb = build.zeros_zip("zeros.bin", 200 * 1024 * 1024)
    d = decide("wells", eml(to=[PROVIDER], attachments=[("photos.zip", bomb, "application/zip")]))
    f = finding(d, "email.unscannable")
    assert f["action"] == "hold" and f["where"] == "attachment:photos.zip"
    assert "zip bomb" in str(f["evidence"])
    assert f["notify"] == ["it_support"]
    clause = compiled("wells").pack.clause(str(f["clause"]))
    assert "scanned for viruses" in clause.text


def test_a_pack_without_a_scanning_clause_still_holds_what_it_cannot_read(decide: Decide) -> None:
    bomb = build.zeros_zip("zeros.bin", 200 * 1024 * 1024)
    d = decide("oak", eml(to=[PROVIDER], attachments=[("photos.zip", bomb, "application/zip")]))
    f = finding(d, "email.unscannable")
    assert f["clause"] is None and f["action"] == compiled("oak").pack.settings.unscannable_action == "hold"


def test_a_card_number_in_a_word_file_inside_a_zip_and_in_an_html_only_body(decide: Decide) -> None:
    docx = build.word("Booking form", table=[["Card", "5555 5555 5555 4444"]])
    archive = build.zip_of({"forms/booking.docx": docx})
    d = decide("wells", eml(to=[PROVIDER], attachments=[("forms.zip", archive, "application/zip")]))
    assert finding(d, "email.card_number")["where"] == "attachment:forms.zip/forms/booking.docx"
    html = (
        "<html><body><p>Card:&nbsp;4111&nbsp;1111&nbsp;1111&nbsp;1111</p><script>x()</script></body></html>"
    )
    html_only = build.message(None, html=html, sender=f"Aisha Khan <a.khan@{SCHOOL}>", to=PROVIDER)
    assert finding(decide("wells", html_only.as_bytes()), "email.card_number")["where"] == "body"


def test_a_named_pupil_s_ehcp_in_a_spreadsheet_to_a_provider_is_personal_data(decide: Decide) -> None:
    sheet = build.workbook({"Group": [["Pupil", "Need"], ["Zoë Kowalczyk", "EHCP - speech and language"]]})
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    d = decide("wells", eml(to=[PROVIDER], attachments=[("group.xlsx", sheet, mime)]))
    f = finding(d, "email.personal_data_unencrypted")
    assert f["where"] == "attachment:group.xlsx" and str(f["evidence"]).startswith("Z. K. with 'EHCP")


# --- what a school sends every day must not be held


def test_the_dsl_s_own_signature_is_not_personal_data(decide: Decide) -> None:
    body = (
        "Dear Ms Jones,\n\nThank you for the training dates; Tuesday suits us.\n\n"
        "Kind regards\nThomas Osei\nDesignated Safeguarding Lead\n"
    )
    d = decide("wells", eml(sender=f"t.osei@{SCHOOL}", sender_name="Thomas Osei", to=[PROVIDER], body=body))
    assert "email.personal_data_unencrypted" not in fired(d)


def test_a_newsletter_praising_a_pupil_above_a_safeguarding_footer_is_not_personal_data(
    decide: Decide,
) -> None:
    body = (
        "Dear parents,\n\nWell done to Oliver Mensah, our reader of the week!\n\n"
        "The Christmas fair is on Friday.\n\nKind regards\nMrs Khan\n\n"
        "Safeguarding is everyone's responsibility: our Designated Safeguarding Lead is Mr Osei.\n"
    )
    d = decide("wells", eml(to=[PARENT_A], body=body))
    assert not {"email.personal_data_unencrypted", "email.personal_webmail"} & fired(d)


def test_a_name_and_a_sensitive_term_in_one_paragraph_is_still_personal_data(decide: Decide) -> None:
    body = "Hello,\n\nTrip on Friday.\n\nMillie Clarke's EHCP review is next week, can you come?\n\nAisha"
    d = decide("wells", eml(to=["senco@otherschool.org.uk"], body=body))
    assert str(finding(d, "email.personal_data_unencrypted")["evidence"]) == "M. C. with 'EHCP'"


def test_a_teacher_s_number_given_to_a_course_provider_is_not_given_to_parents(decide: Decide) -> None:
    body = "If the coach is late, ring me on 07700 900321.\n\nAisha Khan"
    assert "email.staff_personal_contact" not in fired(decide("oak", eml(to=[PROVIDER], body=body)))


def test_a_pupil_s_name_in_an_attachment_s_file_name_is_shown_as_initials(decide: Decide) -> None:
    d = decide(
        "wells",
        eml(to=[PROVIDER], attachments=[("Oliver Mensah card.txt", b"4111 1111 1111 1111", "text/plain")]),
    )
    assert finding(d, "email.card_number")["where"] == "attachment:O. M. card.txt"
    assert "Mensah" not in str(d.as_dict())
