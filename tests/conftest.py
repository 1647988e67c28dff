"""Settings shared by the whole suite.

On CI (``CI=true``) the property-based tests draw the same examples on every run and keep no
example database, so a run on a clean clone is repeatable: a red CI then points at a change,
not at a lucky draw. Locally they keep exploring new examples.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    settings.load_profile("ci")
