"""The UI is Russian by default, whatever the browser asks for; English only by explicit choice."""


def test_an_english_browser_still_gets_the_russian_login_page(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Вход в «Отметку»" in response.content.decode()
    assert response["Content-Language"] == "ru"


def test_choosing_english_in_the_switcher_shows_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Log in to Otmetka" in response.content.decode()


def test_a_request_in_english_leaves_the_thread_in_russian(client, db):
    from django.utils import translation

    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    client.get("/accounts/login/")
    assert translation.get_language() == "ru"
