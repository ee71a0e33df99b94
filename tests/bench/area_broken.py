"""A stand-in area script whose `measure` fails: bench/run reports it and goes on."""


def measure(rounds: int = 200) -> list[dict]:
    raise RuntimeError("no guardians in this dataset")
