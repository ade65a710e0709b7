#!/usr/bin/env bash
# Install the local LanguageTool from Maven Central (org.languagetool:languagetool-server
# and language-en at the version pinned in src/essaycoach/grammar/lt_install.py).
# Idempotent (a finished install is kept); starts nothing: the tests start the server.
# Needs Java 17+ and Maven on PATH, and the essaycoach package installed in the active
# Python. Measured: about 20-100 s with an empty Maven cache (about 100 MB downloaded),
# a few seconds when ~/.m2 already holds the jars.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python}"
command -v java >/dev/null || { echo "install-languagetool: java not found (need Java 17+)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "install-languagetool: mvn not found" >&2; exit 1; }

export MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
start=$SECONDS
# The command group is called directly so this script does not depend on the CLI wiring.
"$PYTHON" - <<'PY'
import sys

from essaycoach.cli.languagetool_cmd import languagetool_group
from essaycoach.errors import EssaycoachError

try:
    languagetool_group(["install", "--method", "maven"], prog_name="essaycoach languagetool",
                       standalone_mode=False)
except EssaycoachError as error:
    sys.exit(f"install-languagetool: {error}")
PY
echo "install-languagetool: done in $((SECONDS - start)) s"
