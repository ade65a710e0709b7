"""`essaycoach harper`: inspect and stop the warm Harper server that `check` uses."""

from __future__ import annotations

import time

import click

from essaycoach.cli.base import EssaycoachGroup, echo_line
from essaycoach.grammar import harper_server


@click.group("harper", cls=EssaycoachGroup)
def harper_group() -> None:
    """Manage the warm Harper process that `essaycoach check` starts and reuses.

    It saves every later check the second or so Harper needs to build its
    dictionary, and stops by itself after an idle timeout. Essays reach it only
    through a socket in your own data folder.

    \b
    Examples:
      essaycoach harper status
      essaycoach harper stop
    """


@harper_group.command("status")
def status_command() -> None:
    """Show whether the Harper server runs, and for how long it stays.

    \b
    Example:
      essaycoach harper status
    """
    info = harper_server.server_info()
    if info is None:
        echo_line(f"Harper server: not running (socket {harper_server.socket_path()})")
        return
    echo_line(
        f"Harper server: running, pid {info.pid}, {info.requests} essays checked, "
        f"up {time.time() - info.started_at:.0f} s, stops after {info.idle_timeout:.0f} s idle"
    )


@harper_group.command("stop")
def stop_command() -> None:
    """Stop the Harper server (the next check starts a new one).

    \b
    Example:
      essaycoach harper stop
    """
    info = harper_server.stop_server()
    if info is None:
        echo_line("Harper server: not running")
    else:
        echo_line(f"Harper server stopped (was pid {info.pid})")
