"""Settings for the whole test session."""

import os

# `essaycoach check` starts a background Harper server by default. Tests must not leave
# one running in the user's data folder; tests/integration/test_harper_server.py turns
# it on under a temporary ESSAYCOACH_HOME and stops it.
os.environ["ESSAYCOACH_HARPER_SERVER"] = "0"
