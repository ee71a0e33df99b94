"""The period-mark column's texts are translated once per language: each language gets its own
(a switch of language between requests shows the new one), and a caller's change to the answer
does not reach the next request."""

from django.utils import translation

from otmetka.grading.column import column_texts


def test_column_texts_follow_the_active_language() -> None:
    with translation.override("ru"):
        russian = column_texts()
    with translation.override("en"):
        english = column_texts()
    with translation.override("ru"):
        again = column_texts()
    assert russian["pm_head"] == "Итоговая отметка"
    assert english["pm_head"] == "Period mark"
    assert again == russian and set(english) == set(russian)

    again["pm_head"] = "испорчено"
    with translation.override("ru"):
        assert column_texts()["pm_head"] == "Итоговая отметка"
