"""The grid retries a save whose answer was lost with the same Idempotency-Key: the mark is
written once and the cell shows it saved."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.api.models import IdempotentRequest
from otmetka.journal.models import Mark
from tests.journal_ui.conftest import JournalWorld
from tests.journal_ui.test_grid_browser import _cell, _log_in, _open_grid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_save_whose_answer_is_lost_is_retried_and_written_once(
    page: Any, live_server: Any, journal: JournalWorld
) -> None:
    w = journal.world
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, w.course_7a_math.pk)
    keys: list[str] = []

    def lose_the_first_answer(route: Any) -> None:
        keys.append(route.request.headers.get("idempotency-key", ""))
        if len(keys) == 1:
            route.fetch()  # the server saves the mark…
            route.abort("connectionreset")  # …and the answer never reaches the browser
        else:
            route.continue_()

    page.route(re.compile(r".*/api/v1/lessons/\d+/cells$"), lose_the_first_answer)
    _cell(page, 0, 2).click()
    page.keyboard.press("5")
    page.keyboard.press("Enter")
    expect(_cell(page, 0, 2)).to_have_class(re.compile(r"\bsaved\b"))
    expect(_cell(page, 0, 2)).to_contain_text("5")
    assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) >= 32
    assert Mark.objects.filter(student=w.pupil_7a).count() == 1
    assert IdempotentRequest.objects.get().key == keys[0]
