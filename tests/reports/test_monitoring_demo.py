"""The demo school's monitoring shows real figures: lessons with topics, homework with minutes
and a class's day over R38's limit; the deputy's and the director's pages open."""

import datetime

import time_machine
from django.test import Client

from otmetka.demo.generator import generate

TODAY = datetime.date(2026, 11, 18)


def test_the_demo_school_has_monitoring_figures(db: None) -> None:
    demo = generate(seed=7, classes_per_grade=(1, 1), students_per_class=5, today=TODAY)
    accounts = {a.key: a.user for a in demo.accounts}
    with time_machine.travel(datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC)):
        client = Client()
        client.force_login(accounts["deputy"])
        page = client.get("/reports/monitoring/")
        assert page.status_code == 200
        total = page.context["total"].counts
        assert total.held > 100 and 50 < (total.topic_pct or 0) <= 100
        over = [h for h in page.context["homework"] if h["over"]]
        assert over and all(m > h["limit"] for h in over for _day, m in h["over"])
        client.force_login(accounts["director"])
        director = client.get("/reports/director/").content.decode()
        assert "Обязанности по приказу" in director
