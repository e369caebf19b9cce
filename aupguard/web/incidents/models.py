"""The incident register and the personal-data breach register (DESIGN.md, "Workflows and registers").

Anyone may report an incident; the people the pack names for its kind handle it. An incident that is a
personal-data breach gets one `Breach`: the DPL's record with the ICO clock (the deadline is the
moment the school became aware plus the pack's `breach_report_hours`, in real hours), the assessment,
and the decision to report to the ICO or not, which is recorded with who decided and why either way.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from aupguard.web.devices.models import Device
from aupguard.web.incidents.clock import Clock
from aupguard.web.incidents.kinds import KIND_CHOICES
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion


class Incident(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "open"
        CLOSED = "closed", "closed"

    #: The changes of status a handler may make.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.OPEN: frozenset({Status.CLOSED}),
        Status.CLOSED: frozenset({Status.OPEN}),
    }

    class PersonalData(models.TextChoices):
        YES = "yes", "yes"
        NO = "no", "no"
        UNKNOWN = "unknown", "I don't know"

    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        help_text="the reporter's school when reported; blank for the trust's central team",
    )
    kind = models.CharField(max_length=32, choices=KIND_CHOICES)
    reporter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="incidents_reported")
    occurred_at = models.DateTimeField("when it happened")
    reported_at = models.DateTimeField(default=timezone.now)
    what_happened = models.TextField()
    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="the policy in force for the school when reported",
    )
    # Kind-specific: which of these a report asks for is in kinds.KINDS.
    web_address = models.CharField(
        "web address", max_length=500, blank=True, help_text="or a description of the site"
    )
    action_taken = models.TextField(blank=True)
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    device_description = models.CharField(
        max_length=300, blank=True, help_text="a device that is not on the asset register"
    )
    device_stolen = models.BooleanField(null=True, blank=True, help_text="stolen, rather than lost")
    location = models.CharField("where", max_length=300, blank=True)
    personal_data = models.CharField(
        "personal data involved", max_length=8, choices=PersonalData.choices, blank=True
    )
    # Handling.
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    handler = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents_handled"
    )
    outcome = models.TextField(blank=True)
    closed_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (Q(status="closed", closed_at__isnull=False) & ~Q(outcome="")),
                name="incident_closed_with_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["trust", "school", "status", "kind"], name="incident_register"),
            models.Index(fields=["reporter", "-reported_at"], name="incident_by_reporter"),
        ]

    def __str__(self) -> str:
        return f"Incident {self.pk}: {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"INC-{self.pk}"

    @property
    def device_text(self) -> str:
        if self.device is not None:
            return str(self.device) + (f" ({self.device_description})" if self.device_description else "")
        return self.device_description

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


#: Categories of personal data, as the ICO's breach report form asks for them.
DATA_CATEGORIES = [
    ("identifiers", "names, addresses or contact details"),
    ("id_numbers", "identification numbers (UPN, NI number, NHS number)"),
    ("education", "education records (reports, assessments, attendance, exclusions)"),
    ("sen", "special educational needs (SEN support, EHCP)"),
    ("safeguarding", "safeguarding or child-protection records"),
    ("health", "health or medical information"),
    ("financial", "financial details (bank details, free school meals, payments)"),
    ("official_documents", "official documents (passport, birth certificate)"),
    ("credentials", "usernames and passwords"),
    ("location", "location data"),
    ("images", "photographs or video"),
    ("ethnicity", "racial or ethnic origin"),
    ("religion", "religious or philosophical beliefs"),
    ("sexuality", "sex life or sexual orientation"),
    ("biometric", "biometric data (fingerprints for catering or library)"),
    ("criminal", "criminal convictions or offences"),
    ("other", "other (say which under 'nature')"),
]
#: UK GDPR special category and criminal-offence data: the ICO treats these as higher risk.
SPECIAL_CATEGORIES = frozenset({"health", "ethnicity", "religion", "sexuality", "biometric", "criminal"})

SUBJECT_CATEGORIES = [
    ("pupils", "pupils"),
    ("parents", "parents and carers"),
    ("staff", "staff"),
    ("governors", "governors, trustees and volunteers"),
    ("other", "others"),
]


class Breach(models.Model):
    """The DPL's record of one personal-data breach and its ICO clock."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        CLOSED = "closed", "closed"

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.OPEN: frozenset({Status.CLOSED}),
        Status.CLOSED: frozenset(),
    }

    class Risk(models.TextChoices):
        # The thresholds of UK GDPR articles 33 (tell the ICO) and 34 (tell the people affected).
        UNLIKELY = "unlikely", "unlikely to result in a risk to people's rights and freedoms"
        RISK = "risk", "likely to result in a risk to people's rights and freedoms"
        HIGH = "high", "likely to result in a high risk to people's rights and freedoms"

    class Decision(models.TextChoices):
        REPORT = "report", "report to the ICO"
        NOT_REPORT = "not_report", "do not report to the ICO"

    class Told(models.TextChoices):
        NOT_YET = "not_yet", "not decided yet"
        YES = "yes", "yes, they have been told"
        NO = "no", "no, they will not be told"

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="breach")
    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="the policy whose breach_report_hours set the deadline",
    )
    aware_at = models.DateTimeField("school became aware", help_text="the ICO clock starts here")
    report_hours = models.PositiveSmallIntegerField(help_text="hours the pack allows to report to the ICO")
    deadline = models.DateTimeField("ICO deadline", db_index=True)
    opened_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    # Assessment.
    nature = models.TextField("nature of the breach", blank=True)
    data_categories = models.JSONField(default=list, blank=True, help_text="keys of DATA_CATEGORIES")
    subject_categories = models.JSONField(default=list, blank=True, help_text="keys of SUBJECT_CATEGORIES")
    approx_people = models.PositiveIntegerField("approximate number of people", null=True, blank=True)
    approx_records = models.PositiveIntegerField("approximate number of records", null=True, blank=True)
    likely_consequences = models.TextField(blank=True)
    risk_level = models.CharField(max_length=10, choices=Risk.choices, blank=True)
    assessed_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assessed_at = models.DateTimeField(null=True, blank=True)
    # The decision, recorded whichever way it goes.
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField("reported to the ICO at", null=True, blank=True)
    ico_reference = models.CharField("ICO reference", max_length=64, blank=True)
    late_reason = models.TextField(
        blank=True, help_text="UK GDPR art. 33(1): why a report or decision came after the deadline"
    )
    # Response.
    containment = models.TextField("containment and recovery", blank=True)
    individuals_told = models.CharField(
        "people affected told", max_length=8, choices=Told.choices, default=Told.NOT_YET
    )
    individuals_note = models.TextField(blank=True, help_text="how and when they were told, or why not")
    lado_referral = models.BooleanField("referred to the LADO", default=False)
    lado_note = models.TextField("LADO referral", blank=True)
    lessons_learned = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("aware_at")), name="breach_deadline_after"
            ),
            # Issue 5: the decision is recorded with who and why, whichever way it goes.
            models.CheckConstraint(
                condition=Q(decision="")
                | (Q(decided_by__isnull=False, decided_at__isnull=False) & ~Q(decision_reason="")),
                name="breach_decision_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(decision="report") | (Q(reported_at__isnull=False) & ~Q(ico_reference="")),
                name="breach_reported_with_reference",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(decision="") & Q(closed_at__isnull=False)),
                name="breach_closed_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Breach {self.pk} ({self.incident.reference})"

    @property
    def reference(self) -> str:
        return f"BR-{self.pk}"

    @property
    def assessed(self) -> bool:
        return bool(self.risk_level)

    @property
    def clock_stopped_at(self) -> dt.datetime | None:
        """When the ICO clock stopped: the report to the ICO, or the recorded decision not to report."""
        if self.decision == self.Decision.REPORT:
            return self.reported_at
        if self.decision == self.Decision.NOT_REPORT:
            return self.decided_at
        return None

    @property
    def clock(self) -> Clock:
        return self.clock_at(timezone.now())

    def clock_at(self, now: dt.datetime) -> Clock:
        return Clock(self.deadline, now, self.clock_stopped_at)

    @property
    def special_category(self) -> bool:
        return bool(SPECIAL_CATEGORIES.intersection(self.data_categories))

    def data_category_labels(self) -> list[str]:
        labels = dict(DATA_CATEGORIES)
        return [labels.get(key, key) for key in self.data_categories]

    def subject_category_labels(self) -> list[str]:
        labels = dict(SUBJECT_CATEGORIES)
        return [labels.get(key, key) for key in self.subject_categories]

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]
