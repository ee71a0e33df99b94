"""Demo data of the personal data pages: documents and confirmations of most students, consents
to processing (a few missing, for the homeroom teacher's list) and to publication (one withdrawn),
and the nurse's health and PE groups of every student on the roll.

Written in bulk around the services, like the rest of the demo (no audit events per row)."""

from __future__ import annotations

import datetime

from otmetka.core.dates import active_on
from otmetka.demo.selectors import demo_users
from otmetka.people.models import Consent, ConsentKind, HealthRecord, PEGroup, Student
from otmetka.school.models import AcademicYear, School

# (health group, PE group) by a student's id: most are healthy, a few in special groups.
GROUPS = (
    ("1", PEGroup.MAIN),
    ("2", PEGroup.MAIN),
    ("2", PEGroup.MAIN),
    ("2", PEGroup.PREPARATORY),
    ("1", PEGroup.MAIN),
    ("3", PEGroup.SPECIAL_A),
    ("2", PEGroup.MAIN),
    ("2", PEGroup.PREPARATORY),
    ("4", PEGroup.SPECIAL_B),
    ("1", PEGroup.MAIN),
    ("2", PEGroup.MAIN),
    ("5", PEGroup.EXEMPT),
)


def privacy_demo_add(*, school: School, today: datetime.date) -> dict[str, int]:
    """Add the personal data demo to the demo school; returns what was written."""
    users = demo_users(school=school)
    nurse, clerk = users.get("nurse"), users.get("secretary") or users.get("admin")
    year = AcademicYear.objects.filter(school=school, start__lte=today, end__gte=today).first()
    if nurse is None or clerk is None or year is None:
        return {"consents": 0, "health": 0}
    students = list(
        Student.objects.filter(active_on(today, prefix="enrollments__"), school=school)
        .distinct()
        .order_by("pk")
    )
    start = year.start
    for s in students:
        if s.pk % 9:
            s.document = f"{'I' * (1 + s.pk % 3)}-АП {100000 + s.pk * 37 % 900000:06d}"
        if s.pk % 4:
            s.data_confirmed_on = start + datetime.timedelta(days=3 + s.pk % 20)
    Student.objects.bulk_update(students, ["document", "data_confirmed_on"], batch_size=500)
    consents = []
    signer, scope = "Родитель (законный представитель)", "На период обучения в школе"
    for s in students:
        kinds = [ConsentKind.PROCESSING] if s.pk % 11 else []
        if s.pk % 3 == 0:
            kinds.append(ConsentKind.PUBLICATION)
        for kind in kinds:
            withdrawn = kind == ConsentKind.PUBLICATION and s.pk % 27 == 0
            consent = Consent(school=school, student=s, kind=kind, signed_by=signer, scope=scope)
            consent.given_on, consent.created_by = start, clerk
            consent.withdrawn_on = today if withdrawn else None
            consents.append(consent)
    Consent.objects.bulk_create(consents, batch_size=500)
    basis = f"Медицинская карта ф. 026/у-2000, осмотр {start:%d.%m.%Y}"
    records = []
    for s in students:
        health_group, pe_group = GROUPS[s.pk % len(GROUPS)]
        record = HealthRecord(school=school, student=s, health_group=health_group, basis=basis)
        record.pe_group, record.start, record.created_by = pe_group, start, nurse
        records.append(record)
    HealthRecord.objects.bulk_create(records, batch_size=500)
    return {"consents": len(consents), "health": len(records)}
