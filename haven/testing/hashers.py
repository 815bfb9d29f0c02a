"""A cheap Argon2 for the test suite only.

Argon2's production cost (about 100 MB and several passes per hash) is the
point in production and pure waste when every test class creates eight users.
Same algorithm and format, minimal cost; installed by conftest.py."""
from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
