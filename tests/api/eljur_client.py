"""A small ЭлЖур API client, written from shared/reference/eljur-api.md alone (as the community's
apps and bots are): it knows ЭлЖур's URLs, parameters and envelope, nothing of Otmetka. The
test of the ЭлЖур layer runs it against `otmetka serve` over real HTTP."""

from typing import Any

import requests


class EljurError(Exception):
    """The server answered with an error in its envelope."""


class Eljur:
    """`Eljur(base, vendor, devkey).auth(login, password)`, then the data methods."""

    def __init__(self, base: str, vendor: str, devkey: str) -> None:
        self.base = base.rstrip("/")
        self.common = {"vendor": vendor, "devkey": devkey, "out_format": "json"}
        self.token = ""
        self.http = requests.Session()

    def _call(self, method: str, post: bool = False, **params: Any) -> Any:
        query = {**self.common, "auth_token": self.token}
        url = f"{self.base}/apiv3/{method}"
        if post:
            answer = self.http.post(url, params=query, data=params, timeout=30)
        else:
            answer = self.http.get(url, params={**query, **params}, timeout=30)
        response = answer.json()["response"]
        if response.get("error") is not None or response.get("state") != 200:
            raise EljurError(f"{response.get('state')}: {response.get('error')}")
        return response["result"]

    def auth(self, login: str, password: str) -> str:
        """Sign in; the token goes with every later call. Returns `expires`."""
        result = self._call("auth", post=True, login=login, password=password)
        self.token = result["token"]
        return str(result["expires"])

    def rules(self) -> dict[str, Any]:
        return dict(self._call("getrules"))

    def periods(self, student: str) -> list[dict[str, Any]]:
        result = self._call("getperiods", student=student, weeks="true", show_disabled=False)
        return list(result["students"][0]["periods"])

    def diary(self, student: str, start: str, end: str) -> dict[str, Any]:
        """Days keyed YYYYMMDD, with `items` keyed by lesson number."""
        result = self._call("getdiary", student=student, days=f"{start}-{end}", rings=True)
        return dict(result["students"][student]["days"])

    def marks(self, student: str, start: str, end: str) -> list[dict[str, Any]]:
        result = self._call("getmarks", student=student, days=f"{start}-{end}")
        return list(result["students"][student]["lessons"])

    def messages(self, folder: str = "inbox") -> list[dict[str, Any]]:
        result = self._call("getmessages", folder=folder, limit=20, page=1)
        assert int(str(result["total"])) >= result["count"]
        return list(result["messages"])

    def message(self, message_id: str) -> dict[str, Any]:
        return dict(self._call("getmessageinfo", id=message_id)["message"])

    def reply(self, message_id: str, text: str) -> None:
        self._call("sendreplymessage", post=True, replyto=message_id, text=text)
