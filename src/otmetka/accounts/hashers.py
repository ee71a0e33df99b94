"""Password hashing: argon2id with parameters measured for a 1 September login storm.

Measured with `python bench/login_cost.py` on the 2-core reference machine (see docs/operators.md):
time_cost=2, memory_cost=19 MiB, parallelism=1 is the OWASP minimum profile for argon2id and costs
about 34 ms of one core per login (37 ms per login request), so two cores verify ~55 logins/s.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OtmetkaArgon2Hasher(Argon2PasswordHasher):
    """argon2id, OWASP profile: m=19 MiB, t=2, p=1."""

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1


class IssuedArgon2Hasher(OtmetkaArgon2Hasher):
    """argon2id, a light profile for issued one-time passwords only: each carries 50 bits of
    chance (10 characters of 32), so even a cheap hash leaves a stolen database no way to guess
    it, and the first login replaces it with the user's own password under the default hasher.
    It lets a whole school's slips (~2,700 people) be issued in one request: ~2 ms a password
    instead of ~34 ms."""

    algorithm = "argon2_issued"
    time_cost = 1
    memory_cost = 4 * 1024
