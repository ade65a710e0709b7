"""Running a command held to file permissions, even as root (CI runs the tests as root).

Root reads and writes past any folder's mode, so as root the command runs under
setpriv without the capabilities that allow it (CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH): still uid 0, the owner of the test's files and of the Python it
runs, but held to their modes like any user. Not as root, chmod alone refuses.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT_POWERS = "-dac_override,-dac_read_search"


def held_to_permissions(scratch: Path) -> list[str]:
    """The argv prefix that runs a command held to file permissions (empty when not
    root). Skips the calling test when setpriv is missing or cannot take root's powers
    away, probed on a folder of mode 000 made in `scratch`."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, who reads and writes past permissions, and no setpriv")
    prefix = [setpriv, f"--inh-caps={ROOT_POWERS}", f"--bounding-set={ROOT_POWERS}"]
    locked = scratch / "permission-probe"
    locked.mkdir()
    locked.chmod(0o000)
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", f"import os; os.listdir({str(locked)!r})"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        locked.chmod(0o755)
        locked.rmdir()
    if "PermissionError" not in probe.stderr:
        pytest.skip(f"setpriv could not take root's power past permissions: {probe}")
    return prefix
