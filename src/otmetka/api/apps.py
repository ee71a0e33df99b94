from typing import Any

from django.apps import AppConfig


def _param_keys(self: Any) -> list[str]:
    """The names `iter(model)` gives (pydantic's `BaseModel.__iter__`)."""
    return [k for k in self.__dict__ if not k.startswith("_")] + list(self.__pydantic_extra__ or ())


def _param_item(self: Any, key: str) -> Any:
    extra = self.__pydantic_extra__
    return extra[key] if extra and key in extra else self.__dict__[key]


class ApiConfig(AppConfig):
    name = "otmetka.api"
    label = "api"

    def ready(self) -> None:
        # ninja merges each request's parameter models (path, body…) into the handler's keyword
        # arguments with `dict.update(model)`: without a `keys` method the update asked
        # pydantic's `__getattr__` for one, which raised and formatted an AttributeError, and
        # then iterated the model's pairs — twice a request (1 % of a mark save's
        # instructions). The mapping protocol gives the same names and values: the model's
        # fields (and extras, if a model allows them).
        from ninja.params.models import ParamModel

        ParamModel.keys = _param_keys  # type: ignore[attr-defined]
        ParamModel.__getitem__ = _param_item  # type: ignore[misc]
