"""What looks secret by its name: one pattern for every stage that hides values.

A container env var (`DB_PASSWORD`), a field (`password:`), a variable of the runner's
environment (`GITHUB_TOKEN`): a name this matches has its value masked in the plan
(plan/masking.py), shown as <redacted> in schema messages (validate/errors.py) and
withheld from child processes (runner_env.py).
"""
from __future__ import annotations

import re

SECRET_NAME = re.compile(
    r"PASSW(OR)?D|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|"
    r"AUTH|DSN|CONN(ECTION)?_?STR", re.IGNORECASE)
