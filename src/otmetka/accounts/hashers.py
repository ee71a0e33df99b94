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
