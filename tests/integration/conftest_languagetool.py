"""Fixtures for tests marked `languagetool`: a real, warm local LanguageTool server.

Without Java 17+ or an installed LanguageTool these tests are skipped with the
reason; with ESSAYCOACH_REQUIRE_LANGUAGETOOL=1 (set by .ci/run) that skip is a
failure instead, so CI cannot pass without really running them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from essaycoach.errors import EngineError
from essaycoach.grammar import lt_install, lt_server

REQUIRE_ENVIRONMENT = "ESSAYCOACH_REQUIRE_LANGUAGETOOL"


def languagetool_missing() -> str | None:
    """Why a real LanguageTool cannot run here, or None when it can."""
    try:
        lt_install.find_java()
    except EngineError as error:
        return str(error)
    if lt_install.find_installation() is None:
        return (
            f"LanguageTool is not installed in {lt_install.install_dir()} "
            "(run `essaycoach languagetool install`)"
        )
    return None


@pytest.fixture(scope="session")
def require_languagetool() -> lt_install.Installation:
    """The installed LanguageTool; skips (or fails when required) when it cannot run."""
    reason = languagetool_missing()
    if reason is not None:
        if os.environ.get(REQUIRE_ENVIRONMENT) == "1":
            pytest.fail(f"{REQUIRE_ENVIRONMENT}=1 but LanguageTool cannot run: {reason}")
        pytest.skip(f"LanguageTool unavailable: {reason}")
    installation = lt_install.find_installation()
    assert installation is not None
    return installation


@pytest.fixture(scope="session")
def languagetool_server(
    require_languagetool: lt_install.Installation,
) -> Iterator[lt_server.ServerState]:
    """The warm local server; one for the whole session, stopped at the end if we started it."""
    already_running = lt_server.running_server() is not None
    state = lt_server.ensure_server()
    yield state
    if not already_running:
        lt_server.stop_server()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def own_languagetool_server(
    installation: lt_install.Installation, port: int, properties: Path
) -> Iterator[str]:
    """A separate real LanguageTool server on `port` with its own properties file (e.g.
    maxTextLength), for tests that need a server the user configured; yields its URL."""
    classpath = str(installation.directory / installation.classpath)
    command = [lt_install.find_java().path, "-Xmx512m", "-cp", classpath,
               "org.languagetool.server.HTTPServer", "--port", str(port),
               "--config", str(properties)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"{url}/v2/languages", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"LanguageTool on port {port} did not start")
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(30)
