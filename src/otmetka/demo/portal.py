"""The demo school's website: contacts and a public address, a few news items, the school's
Положения as documents approved by the director (real PDF files), and help links — written
through the portal's services, so the workflow and its audit trail are the real ones."""

from typing import Any

from django.core.files.base import ContentFile
from fpdf import FPDF

from otmetka.portal import services
from otmetka.portal.models import Publication
from otmetka.reports.exports import FONT

NEWS = (
    (
        "Электронный дневник открыт для родителей",
        "С этой недели родители обучающихся 1–11 классов могут смотреть отметки, домашние "
        "задания и посещаемость в электронном дневнике.\n\n"
        "**Логин и пароль** выдаёт классный руководитель. Инструкция — в разделе «Справка».",
    ),
    (
        "Расписание оценочных процедур на второе полугодие",
        "Утверждено расписание контрольных и проверочных работ. Документ размещён в разделе "
        "«Документы → Расписание оценочных процедур».",
    ),
    (
        "Изменения в ЭлЖур: сообщения учителям",
        "В журнале появились сообщения: родители пишут учителям своего ребёнка и классному "
        "руководителю, а школа рассылает объявления с отметкой «Ознакомлен».",
    ),
)
REGULATIONS = (
    ("Положение о ведении электронного журнала", "regulation", "45-ОД"),
    ("Положение о текущем контроле успеваемости и промежуточной аттестации", "regulation", "46-ОД"),
    ("Приказ о назначении ответственных за ведение ЭлЖур", "order", "47-ОД"),
    ("Расписание оценочных процедур, 2-е полугодие", "assessment", "52-ОД"),
)
HELP = (
    ("Как войти в дневник: инструкция для родителей", "/s/{key}/help/", "guardians"),
    ("Инструкция для обучающихся", "/s/{key}/help/", "students"),
    ("Инструкция для учителя по заполнению журнала", "/s/{key}/help/", "teachers"),
)


def portal_demo_add(*, school: Any, users: dict[str, Any]) -> int:
    """Publish the demo website of `school`; returns the number of published items (0 when the
    demo accounts it needs are missing)."""
    editor, deputy, director = (users.get(k) for k in ("web_editor", "deputy", "director"))
    if not (editor and deputy and director):
        return 0
    services.site_save(
        actor=editor, school=school, slug=f"school-{school.pk}",
        address="297000, Республика Крым, с. Столбовое, ул. Школьная, 1",
        phone="+7 (36552) 0-00-00", email="school@example.org",
        about="Общеобразовательная школа. Приём обучающихся в 1–11 классы.",
    )  # fmt: skip
    for title, url, audience in HELP:
        key = school.slug or school.pk
        services.help_link_add(
            actor=editor, school=school, title=title, url=url.format(key=key), audience=audience
        )
    for title, category, number in REGULATIONS:
        item = services.publication_save(
            actor=deputy, school=school, kind="document", title=title, category=category,
            doc_number=number,
        )  # fmt: skip
        services.publication_file_add(
            actor=deputy, school=school, item=item, upload=_pdf(title, number)
        )
        _publish(deputy, director, school, item)
    for title, body in NEWS:
        item = services.publication_save(
            actor=editor, school=school, kind="news", title=title, body=body
        )
        _publish(editor, director, school, item)
    return Publication.objects.filter(school=school, state="published").count()


def _publish(author: Any, director: Any, school: Any, item: Publication) -> None:
    services.publication_submit(actor=author, school=school, item=item)
    services.publication_approve(actor=director, school=school, item=item)


def _pdf(title: str, number: str) -> ContentFile[bytes]:
    """A one-page PDF with the document's title (Cyrillic through the bundled font)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=14)
    pdf.multi_cell(0, 8, f"{title}\nПриказ № {number}")
    return ContentFile(bytes(pdf.output()), name=f"{title[:60]}.pdf")
