"""`essaycoach languagetool`: install, start, stop and inspect the local LanguageTool server."""

from __future__ import annotations

import time

import click

from essaycoach.cli.base import EssaycoachGroup, echo_line
from essaycoach.cli.options import FiniteFloatRange
from essaycoach.errors import EngineError
from essaycoach.grammar import lt_install, lt_server


@click.group("languagetool", cls=EssaycoachGroup)
def languagetool_group() -> None:
    """Manage the local LanguageTool server (Java 17+) used by --grammar languagetool.

    Installing is the only step that downloads; checks reuse a warm server that
    stops by itself after an idle timeout.

    \b
    Examples:
      essaycoach languagetool install
      essaycoach languagetool status
      essaycoach languagetool stop
    """


@languagetool_group.command("install")
@click.option(
    "--method",
    type=click.Choice(["auto", "maven", "download"]),
    default="auto",
    show_default=True,
    help="maven: Maven Central (mvn); download: the LanguageTool site; auto: maven if mvn exists.",
)
@click.option("--force", is_flag=True, help="Reinstall even when already installed.")
def install_command(method: str, force: bool) -> None:
    """Download LanguageTool into the data directory ($ESSAYCOACH_HOME).

    \b
    Example:
      essaycoach languagetool install --method maven
    """
    existing = lt_install.find_installation()
    if existing and not force:
        echo_line(f"LanguageTool {existing.version} already installed in {existing.directory}")
        return
    echo_line(f"installing LanguageTool {lt_install.LANGUAGETOOL_VERSION} ({method}) ...")
    started = time.monotonic()
    installation = lt_install.install(method=method, force=force)
    echo_line(
        f"installed LanguageTool {installation.version} in {installation.directory} "
        f"({installation.size_mb():.0f} MB, {time.monotonic() - started:.0f} s, "
        f"{installation.method})"
    )
    java = lt_install.find_java()
    echo_line(f"java: {java.path} (Java {java.major})")


@languagetool_group.command("start")
@click.option(
    "--idle-timeout",
    type=FiniteFloatRange(min=1),
    default=None,
    help=f"Stop after this many idle seconds [default: {lt_server.DEFAULT_IDLE_TIMEOUT:.0f}].",
)
def start_command(idle_timeout: float | None) -> None:
    """Start the local server now (or reuse the running one) so the first check is fast.

    \b
    Example:
      essaycoach languagetool start --idle-timeout 3600
    """
    started = time.monotonic()
    reused = lt_server.running_server()
    state = reused or lt_server.ensure_server(idle_timeout=idle_timeout)
    how = "already running" if reused else f"started in {time.monotonic() - started:.1f} s"
    echo_line(f"LanguageTool {state.version} at {state.url} ({how}, pid {state.java_pid})")


@languagetool_group.command("stop")
def stop_command() -> None:
    """Stop the local server and its watchdog.

    \b
    Example:
      essaycoach languagetool stop
    """
    state = lt_server.stop_server()
    if state is None:
        echo_line("LanguageTool server: not running")
    else:
        echo_line(f"LanguageTool server stopped (was pid {state.java_pid} on port {state.port})")


@languagetool_group.command("status")
def status_command() -> None:
    """Show the install, the Java found and the local server.

    \b
    Example:
      essaycoach languagetool status
    """
    installation = lt_install.find_installation()
    if installation is None:
        echo_line(f"installed: no (expected in {lt_install.install_dir()})")
    else:
        echo_line(
            f"installed: LanguageTool {installation.version} in {installation.directory} "
            f"({installation.method})"
        )
    try:
        java = lt_install.find_java()
        echo_line(f"java: {java.path} (Java {java.major})")
    except EngineError as error:
        echo_line(f"java: {error}")
    state = lt_server.read_state()
    running = lt_server.running_server()
    if running is not None:
        idle = time.time() - lt_server.last_activity(running)
        left = max(0.0, running.idle_timeout - idle)
        echo_line(
            f"server: running at {running.url} (pid {running.java_pid}, "
            f"up {time.time() - running.started_at:.0f} s, idle {idle:.0f} s, "
            f"stops in {left:.0f} s unless used)"
        )
    elif state is not None and state.status == "starting":
        echo_line(f"server: starting on port {state.port} (pid {state.java_pid})")
    else:
        echo_line("server: not running (a check starts it; or `essaycoach languagetool start`)")
    echo_line(f"log: {lt_server.log_path()}")
