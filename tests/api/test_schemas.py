"""ninja's parameter models as the handlers get them."""


def test_parameter_models_merge_as_their_pairs() -> None:
    """ninja merges its parameter models with `dict.update(model)`; with the mapping protocol
    added (api/apps.py) the names and values are the pairs `iter(model)` gives, extras too."""
    from ninja.params.models import BodyModel
    from pydantic import ConfigDict

    class Body(BodyModel):
        model_config = ConfigDict(extra="allow")
        payload: int
        other: str = "x"

    model = Body.model_validate({"payload": 3, "more": [1]})
    merged: dict[str, object] = {}
    merged.update(model)
    assert merged == dict(iter(model)) == {"payload": 3, "other": "x", "more": [1]}
    assert hasattr(model, "keys")  # the merge takes the mapping protocol, not a failed look-up
