"""What staff at a primary school write: subjects, paragraphs and the sentences that carry identifiers.

Templates use `str.format_map` slots that `bench.corpus` fills per message (the same pupil, parent
and dates throughout one message). The identifier slots ({card}, {nhs}, {nino}, {upn}, {mobile})
appear only in `IDENTIFIER_SENTENCES`, so the generator controls how often each is planted; the
decoy slots ({order16}, {ref10}) only in `DECOY_SENTENCES`.

{child} is a pupil written by full name, or by first name or initials when the message does not name
pupils in full; {child_first} is the same pupil's first (or preferred) name.
"""

from __future__ import annotations

__all__ = [
    "BODY",
    "CLOSINGS",
    "DECOY_SENTENCES",
    "DISCLAIMER",
    "GENERIC",
    "GREETINGS",
    "IDENTIFIER_SENTENCES",
    "INTROS",
    "SUBJECTS",
    "TOPICS",
]

#: Topic -> weight in the corpus (outbound mail of a large primary school over a term).
TOPICS: dict[str, float] = {
    "trip": 0.11,
    "report": 0.08,
    "meeting": 0.13,
    "safeguarding": 0.05,
    "sen": 0.08,
    "invoice": 0.10,
    "hr": 0.04,
    "admissions": 0.05,
    "attendance": 0.06,
    "medical": 0.04,
    "parents": 0.15,
    "admin": 0.11,
}

SUBJECTS: dict[str, tuple[str, ...]] = {
    "trip": (
        "{year} trip to {place} – {date}",
        "Consent and payment: {place} visit",
        "RE: {year} trip to {place}",
        "Coach booking for {date}",
        "Risk assessment – {place} ({year})",
        "Residential deposit reminder",
        "Trip helpers needed – {date}",
    ),
    "report": (
        "End of term reports – {year}",
        "Report comments to check before {date}",
        "RE: Reports deadline",
        "Moderation of writing – {year}",
        "Progress report for {child}",
        "Pupil progress meeting notes",
    ),
    "meeting": (
        "Staff meeting {date}",
        "Agenda: Full Governing Body {date}",
        "RE: Parents' evening appointments",
        "Meeting request – {child_first} ({class})",
        "Minutes from SLT {date}",
        "INSET day arrangements",
        "Phase meeting – {year}",
    ),
    "safeguarding": (
        "[egress] MASH referral – {child}",
        "Safeguarding concern – {class}",
        "[egress] Child protection conference {date}",
        "CONFIDENTIAL: Early Help assessment",
        "RE: Safeguarding update for {child}",
        "Core group meeting {date}",
    ),
    "sen": (
        "EHCP annual review – {child}",
        "SEN support plan review {date}",
        "Referral to Educational Psychology",
        "RE: SENCO update – {year}",
        "Speech and language assessment – {child}",
        "Request for statutory assessment",
    ),
    "invoice": (
        "Invoice {invoice_no} – {supplier}",
        "Purchase order {po_no}",
        "RE: Payment query – {supplier}",
        "Remittance advice",
        "Order confirmation",
        "Outstanding balance – dinner money",
        "Card payment for {supplier}",
    ),
    "hr": (
        "New starter paperwork – {staff}",
        "Payroll changes for {month}",
        "CONFIDENTIAL: Contract variation",
        "DBS check – new volunteer",
        "Supply cover invoice and timesheet",
        "Maternity leave cover",
    ),
    "admissions": (
        "In-year transfer – {child}",
        "CTF for pupil leaving {date}",
        "Reception admissions {academic_year}",
        "RE: School place offer",
        "Pupil records request",
    ),
    "attendance": (
        "Attendance concern – {child}",
        "Persistent absence letters",
        "Term-time holiday request",
        "Attendance panel {date}",
        "RE: Absence this week",
    ),
    "medical": (
        "Individual healthcare plan – {child}",
        "Medication in school",
        "School nursing referral",
        "RE: Allergy information for {class}",
        "Asthma register update",
    ),
    "parents": (
        "{year} newsletter – {month}",
        "Reminder: {event} on {date}",
        "Message from {head_title}",
        "Dates for your diary",
        "RE: Lost property",
        "Uniform and PE kit",
        "World Book Day – {date}",
        "Clubs this term",
    ),
    "admin": (
        "IT issue in {room}",
        "Cover for {date}",
        "Timetable changes",
        "Fire drill {date}",
        "Site maintenance – {room}",
        "RE: Laptop trolley booking",
        "Visitor on site {date}",
        "Training this week",
    ),
}

GREETINGS: dict[str, tuple[str, ...]] = {
    "staff": (
        "Hi all,",
        "Hi {to_first},",
        "Dear colleagues,",
        "Hello {to_first},",
        "Morning all,",
        "{to_first},",
    ),
    "parent": ("Dear {parent},", "Dear Parents and Carers,", "Dear {parent_first},", "Hello {parent},"),
    "external": ("Dear {to_first},", "Hi {to_first},", "Good afternoon,", "Dear Sir or Madam,", "Hello,"),
}

INTROS: dict[str, tuple[str, ...]] = {
    "trip": (
        "I am writing to let you know about the {year} trip to {place} on {date}. The children will "
        "leave school at {time} and should be back in time for the end of the day.",
        "Thank you to everyone who has already returned the consent form for our visit to {place}. "
        "We still need a handful of forms back by {date2} so that we can confirm numbers with the coach "
        "company.",
        "Just a quick update on the trip to {place}: the coach is booked for {time} and we have enough "
        "adult helpers, so the visit will go ahead as planned.",
        "As promised, here is the risk assessment for {place}. I have used the template from the "
        "Evolve system and added the notes from our pre-visit last week.",
    ),
    "report": (
        "Reports are due to be finished by {date}. Please make sure that every comment has been "
        "proofread and that the attainment grades match what is on the tracker.",
        "I have read through the {year} reports and they are looking really good. There are a few small "
        "things to tidy up, listed below.",
        "Please find below the notes from the pupil progress meeting for {class}.",
        "Following our moderation session, here is a summary of where {year} writing sits against the "
        "expected standard.",
    ),
    "meeting": (
        "This is a reminder that our staff meeting this week is on {date} at {time} in {room}.",
        "Please find the agenda for the next meeting below. Papers will follow by the end of the week.",
        "Thank you for coming in to talk to us about {child_first}. As agreed, here is a summary of what "
        "we discussed.",
        "I would like to arrange a meeting with you to talk about how {child_first} is getting on in "
        "{class}. "
        "Would {date} at {time} suit you?",
    ),
    "safeguarding": (
        "I am writing to make a referral to the MASH regarding {child}, who is in {class} ({year}).",
        "Following the concern logged on CPOMS this morning, I have spoken to {child_first} with "
        "{dsl} present and want to share what was said.",
        "Please see below the update for the core group ahead of the meeting on {date}.",
        "As discussed on the phone, I am sending the information about {child} that you asked for.",
    ),
    "sen": (
        "Please find below the information for the annual review of {child}'s Education, Health and "
        "Care Plan, which is booked for {date} at {time}.",
        "I have now had the chance to observe {child_first} in class and would like to share some thoughts "
        "ahead of the SEN support review.",
        "We would like to request an assessment from the Educational Psychology service for {child}.",
        "Thank you for your report on {child_first}. The recommendations will be added to the support plan.",
    ),
    "invoice": (
        "Please find attached invoice {invoice_no} for the goods delivered on {date}.",
        "Thank you for your order. Your purchase order {po_no} has been received and will be processed "
        "within five working days.",
        "I am chasing the payment for invoice {invoice_no}, which is now thirty days overdue.",
        "Could you raise a purchase order for the items below? The quote is valid until {date2}.",
    ),
    "hr": (
        "Please find the new starter details for {staff}, who joins us on {date} as a teaching assistant "
        "in {year}.",
        "Here are the payroll changes for {month}. Please let me know if anything is unclear.",
        "I am writing to confirm the changes to your contract that we discussed at our meeting on {date}.",
        "The DBS check for our new volunteer has come back clear, so they can start on {date}.",
    ),
    "admissions": (
        "We have been told that {child} will be leaving us on {date} to join your school.",
        "Please find below the details of the in-year application for {child} ({year}).",
        "I am writing to confirm that a place has been offered in {class} from {date}.",
        "The Common Transfer File for {child} has been uploaded to S2S today.",
    ),
    "attendance": (
        "I am writing because {child_first}'s attendance has fallen to {percent}% this term, which is "
        "below the school's target of 96%.",
        "Please find below the list of pupils for the attendance panel on {date}.",
        "Thank you for letting us know that {child_first} is unwell today.",
        "Unfortunately we are unable to authorise the holiday request for {date}.",
    ),
    "medical": (
        "Please find below the updated individual healthcare plan for {child}.",
        "I am writing to ask for a referral to the school nursing team for {child}, who is in {year}.",
        "Could you check the medication held in the office for {class}? Some inhalers expire this month.",
        "Thank you for the allergy information. I have added it to the register and shared it with the "
        "kitchen.",
    ),
    "parents": (
        "What a busy half term it has been! Thank you for all your support at home and in school.",
        "This is a reminder that {event} takes place on {date}.",
        "Here are the dates for the rest of the {term}, so that you can plan ahead.",
        "We have had a wonderful week in {year} and wanted to share some of the highlights with you.",
    ),
    "admin": (
        "The interactive whiteboard in {room} is not working again. Could someone take a look before {time}?",
        "Please see the cover arrangements for {date} below.",
        "There will be a fire drill on {date}. Please do not tell the children in advance.",
        "A contractor will be on site on {date} to work on {room}. Please keep the corridor clear.",
    ),
}

BODY: dict[str, tuple[str, ...]] = {
    "trip": (
        "The cost of the trip is {amount}, which covers the coach and the entrance fee. Please pay "
        "through ParentPay by {date2}. If the cost is a difficulty for your family, please speak to the "
        "office in confidence; nobody will miss out.",
        "Children will need a packed lunch in a disposable bag, a water bottle and a waterproof coat. "
        "Please do not send any money, sweets or electronic devices.",
        "We will be travelling by coach with {company}. All coaches have seatbelts and the children will "
        "be in groups of six with a named adult at all times.",
        "If your child has any medical needs, please make sure that their inhaler or medication is in "
        "a named bag and handed to the class teacher on the morning of the trip.",
        "The risk assessment covers the journey, the road crossing at the entrance, the lake and the "
        "lunch area. First aiders on the trip are {staff} and {staff2}.",
        "We are looking for two more parent helpers. Helpers need a DBS check; if yours is more than "
        "three years old, please ask the office for a new form.",
        "The children will be learning about {topic_word} as part of our {subject_area} topic, and the "
        "visit includes a workshop run by the museum's education team.",
        "Timings for the day: depart school {time}, arrive {time2}, workshop until lunch, and return to "
        "school by 3.15pm. Please collect from the usual door.",
    ),
    "report": (
        "Some comments are still too long. Please keep each subject comment to three or four "
        "sentences and end with a clear next step.",
        "Please use the child's preferred name throughout and check pronouns carefully; the copy-and-paste "
        "mistakes from last year were noticed by parents.",
        "Attendance figures will be added automatically from Arbor, so please leave that box blank.",
        "Reading: most of the class are now reading at the expected standard. {child} has made "
        "particularly strong progress since the autumn and is now a confident, fluent reader.",
        "Writing: the use of paragraphs and varied sentence openers has improved, but spelling of "
        "common exception words remains a target for about a third of the class.",
        "Maths: fluency with times tables is good, but reasoning questions still need work. We agreed "
        "to add a weekly problem-solving session on Fridays.",
        "Targets for next term: {child_first} to use full stops and capital letters consistently, "
        "and to read at home at least four times a week.",
    ),
    "meeting": (
        "1. Welcome and apologies\n2. Minutes of the last meeting\n3. Headteacher's report\n4. "
        "Safeguarding update\n5. Budget monitoring\n6. Policies for approval\n7. Any other business",
        "Please bring your planning for next half term and your marking samples. We will spend the "
        "second half of the meeting on the new curriculum maps.",
        "We discussed how {child_first} has settled into {class}. Friendships are going well and "
        "{child_first} is enjoying PE and art in particular.",
        "Actions: {staff} to update the behaviour policy; {staff2} to circulate the new assessment "
        "calendar; all staff to complete the online training by {date2}.",
        "Parents' evening appointments are now open on the booking system. Each slot is ten minutes; "
        "please keep to time as there are parents waiting.",
        "Governors asked about the gap between disadvantaged pupils and their peers in {year}. We will "
        "bring a fuller answer to the next meeting.",
        "The INSET day on {date} will start at 8.45am in the hall with a session on adaptive teaching, "
        "followed by time in phase teams.",
    ),
    "safeguarding": (
        "{child_first} arrived at school this morning with a bruise on the left cheek. When asked, "
        "{child_first} said it happened at home but did not want to say more.",
        "There have been several concerns logged over the last half term, including late collection, "
        "poor hygiene and {child_first} saying that there was no food at home.",
        "Mum has been informed of the referral and agreed to it. Dad does not have parental "
        "responsibility and there is a court order in place, a copy of which is on file.",
        "The family are known to Children's Social Care and there was a Child in Need plan until last "
        "year. I have attached the chronology from CPOMS.",
        "{child_first} has a younger sibling at {other_school}. I have let their DSL know about today's "
        "concern.",
        "School will continue to monitor and will share any further concerns. Please contact me if you "
        "need anything else before the strategy discussion.",
        "The Early Help assessment was completed with the family on {date}. Actions are for the family "
        "support worker to visit weekly and for school to offer a place at breakfast club.",
    ),
    "sen": (
        "{child_first} is on the SEN register for communication and interaction needs and receives "
        "daily support from a teaching assistant in {class}.",
        "The speech and language therapist visited on {date} and recommended visual timetables, "
        "now-and-next boards and pre-teaching of key vocabulary.",
        "Progress against the outcomes in the EHCP has been good this year, especially in reading. "
        "Social interaction at playtimes remains the area of greatest need.",
        "Parents have asked for the review to consider additional support at lunchtimes, as "
        "{child_first} finds the dining hall overwhelming.",
        "We have used the graduated approach (assess, plan, do, review) for three cycles and feel that "
        "{child_first}'s needs now go beyond what we can provide from our notional SEN budget.",
        "The provision map, the latest support plan and the views of {child_first} and the family are "
        "attached for the panel.",
        "Please could the Educational Psychologist observe in class and at lunchtime, and meet with "
        "parents afterwards?",
    ),
    "invoice": (
        "Item: {item_a} x {qty}, {amount} each\nItem: {item_b} x {qty2}, {amount2} each\nDelivery: free\n"
        "Total (including VAT): {amount3}",
        "Payment can be made by BACS to sort code {sort_code}, account {account_no}. Please quote the "
        "invoice number as the reference.",
        "Our terms are thirty days from the date of invoice. Please let us know if the invoice should "
        "be sent to a different address.",
        "The budget code for this is {budget_code}. Please can it be charged to the curriculum budget "
        "rather than the premises budget?",
        "Please note that we have a new bank account from {date2}; the details are on the attached invoice.",
        "The delivery was short by two boxes. Could you credit the missing items or send them with the "
        "next order?",
    ),
    "hr": (
        "Start date: {date}\nHours: 32.5 per week, term time only\nGrade: Scale 4, point 7\nLine manager: "
        "{staff}",
        "The following staff have changes this month: {staff} (hours increase from {date}), {staff2} "
        "(leaving on {date2}), and one new starter.",
        "References have been received and are satisfactory. The DBS certificate number has been "
        "recorded on the Single Central Record.",
        "Please treat this information as confidential. It should only be shared with the payroll team.",
        "The contract variation takes effect from {date}. A revised contract will be sent for signature.",
    ),
    "admissions": (
        "Previous school: {other_school}\nYear group: {year}\nDate of birth: {dob}\nLanguages spoken at "
        "home: {language}",
        "The family moved to the borough in the summer and {child_first} has been out of education "
        "since July. We have offered a start date of {date}.",
        "Please send the child's records, including the safeguarding file, by secure transfer. Do not "
        "send the safeguarding file by ordinary email.",
        "Parents have been given the uniform list, the lunch menu and the ParentPay letter.",
        "The admissions team have confirmed the offer. Please update the roll once the child has started.",
    ),
    "attendance": (
        "Absences this term: {absences} sessions, of which {unauth} were unauthorised. There is a "
        "pattern of absence on Mondays and Fridays.",
        "We would like to invite you to a meeting on {date} at {time} to talk about how we can help "
        "{child_first} get to school every day.",
        "If attendance does not improve, the school may need to refer to the Education Welfare Service.",
        "The panel list includes pupils in {year} and {year2} whose attendance is below 90% this term.",
        "Holidays in term time can only be authorised in exceptional circumstances, as set out in our "
        "attendance policy.",
    ),
    "medical": (
        "{child_first} has a severe allergy to nuts and carries two adrenaline auto-injectors, one in "
        "class and one in the office.",
        "Medication: salbutamol inhaler, two puffs as needed. The inhaler is kept in the class medical bag.",
        "The plan was reviewed with parents on {date}. The next review is due in September or sooner if "
        "anything changes.",
        "All staff in {year} have completed epi-pen training this term. The certificate is on the staff "
        "drive.",
        "Please could the school nurse contact parents? They are worried about {child_first}'s weight "
        "and have asked for advice.",
    ),
    "parents": (
        "Our {event} raised {amount} for the school library. Thank you to everyone who baked, bought and "
        "helped!",
        "Please make sure all uniform is clearly labelled. The lost property box is overflowing and will "
        "be emptied at the end of the half term.",
        "Clubs this term include football, choir, coding, art and multi-sports. Places are allocated on "
        "a first-come, first-served basis through ParentPay.",
        "Reading at home makes a huge difference. Please try to read with your child for ten minutes "
        "every day and sign their reading record.",
        "The school gates open at 8.40am and close at 8.55am. Children arriving after the gates close "
        "must be signed in at the office.",
        "Please do not park on the zigzag lines outside school. Our neighbours have complained again "
        "and the council will be enforcing.",
        "{year} have been learning about {topic_word} and have produced some fantastic work, which is on "
        "display in the corridor.",
        "Congratulations to {class}, who had the best attendance this week at 99.2%.",
    ),
    "admin": (
        "Cover: {staff} will take {class} in the morning and {staff2} in the afternoon. Planning is in "
        "the shared drive under Cover.",
        "The laptop trolley is booked by {year} on Tuesday and Thursday afternoons; please use the "
        "booking sheet in the staffroom.",
        "If the projector is still not working, please log a ticket on the IT helpdesk rather than "
        "emailing me directly.",
        "The contractor will be working on the roof above {room}. The area under the scaffold is out of "
        "bounds.",
        "Please remember to sign visitors in and out and make sure they wear a red lanyard at all times.",
        "Training this week: safeguarding refresher on {date} at 3.45pm, and first aid for new staff on "
        "Thursday.",
    ),
}

GENERIC: tuple[str, ...] = (
    "Please let me know if you have any questions.",
    "Many thanks for your help with this.",
    "I hope you all had a restful weekend.",
    "If you are unable to attend, please send your apologies to the office by {date2}.",
    "I will be out of school on {date2} but will pick up emails in the evening.",
    "Please read the attached carefully and return any comments by the end of the week.",
    "As always, thank you for everything you do for the children.",
    "Please reply to the office rather than to this email address, which is not monitored.",
    "We will review this at the end of the half term and let you know the outcome.",
    "You can find more information on the school website under Parents > Letters.",
    "Apologies for the short notice; the date was only confirmed this morning.",
    "I have copied in {staff} so that they are aware.",
    "Please do not hesitate to contact me if you would like to discuss this further.",
    "The office is open from 8.15am to 4.30pm, Monday to Friday, on {landline}.",
    "We are a healthy school, so please do not send fizzy drinks or sweets into school.",
    "Thank you again for your patience while we sort this out.",
    "Have a lovely half term, and we look forward to seeing everyone back on {date2}.",
    "I have added this to the agenda for the next phase meeting.",
    "Could you confirm by return that you have received this?",
    "We appreciate that this may be disappointing, and we are happy to talk it through.",
)

CLOSINGS: tuple[str, ...] = (
    "Kind regards,",
    "Many thanks,",
    "Best wishes,",
    "Thanks,",
    "Regards,",
    "With best wishes,",
    "Warm regards,",
)

DISCLAIMER = (
    "This email and any files transmitted with it are confidential and intended solely for the use of "
    "the individual or entity to whom they are addressed. If you have received this email in error "
    "please notify the sender and delete it from your system. Any views or opinions presented are "
    "solely those of the author and do not necessarily represent those of Wells Primary School or the "
    "London Borough of Redbridge. Please note that emails sent to and from the school may be monitored "
    "and recorded in accordance with the Data Protection Act 2018 and UK GDPR. Wells Primary School "
    "will never ask you for your bank details by email."
)

#: Sentences that carry an identifier (the only place the identifier slots appear).
IDENTIFIER_SENTENCES: dict[str, tuple[str, ...]] = {
    "card_number": (
        "{parent} rang the office and asked us to take the {amount} for the trip from her card, "
        "{card}, expiry {card_expiry}. Please key it in and then delete this email.",
        "Card used for the order: {card} (school purchasing card, held by {staff}).",
        "Could you process the refund back to card number {card}?",
        "Payment details as requested: {card} exp {card_expiry}.",
        "The parent has given the card number {card} to pay the outstanding dinner money balance of "
        "{amount}.",
    ),
    "nhs_number": (
        "NHS number: {nhs}",
        "{child_first}'s NHS number is {nhs} and the GP is {gp_practice}.",
        "Date of birth {dob}, NHS no. {nhs}.",
        "(NHS {nhs}, registered with {gp_practice})",
    ),
    "ni_number": (
        "National Insurance number: {nino}",
        "Her NI number is {nino} and her tax code is 1257L.",
        "NI no {nino}; bank details to follow on the paper form.",
        "Please use NINO {nino} for the pension enrolment.",
    ),
    "upn": (
        "UPN: {upn}",
        "{child_first}'s UPN is {upn}.",
        "The UPN on the CTF is {upn}; please check it matches your records.",
        "(UPN {upn}, {year})",
    ),
    "uk_mobile": (
        "If you need me on the day, my mobile is {mobile}.",
        "Trip leader's mobile on the day: {mobile}",
        "Mum's mobile number has changed to {mobile}; please update Arbor.",
        "Please call me on {mobile} if it is urgent.",
        "The driver's mobile is {mobile} in case the coach is delayed.",
    ),
}

#: Sentences with numbers that look like identifiers and are not (the only place the decoy slots appear).
DECOY_SENTENCES: dict[str, tuple[str, ...]] = {
    "order16": (
        "Your order number is {order16}.",
        "Tracking number: {order16}",
        "Order ref {order16} has been dispatched and should arrive within three working days.",
        "Please quote customer reference {order16} on all correspondence.",
    ),
    "ref10": (
        "Our reference: {ref10}",
        "The case reference for this referral is {ref10}.",
        "Customer account {ref10}",
        "Your booking reference is {ref10}.",
    ),
}
