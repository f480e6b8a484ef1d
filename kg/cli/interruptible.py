"""Long work that Ctrl-C and a timeout stop at once, though Oxigraph cannot be interrupted.

A query or a bulk load runs inside Oxigraph, which does not return to Python (where a signal
is handled) until it is done: Ctrl-C went unanswered for minutes. The work runs on a thread
of its own; the main thread waits for it, reacts to Ctrl-C (SIGINT) or the timeout, runs the
caller's clean-up and ends the process, and the thread with it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click

T = TypeVar("T")
#: Exit code after Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130
#: Exit code after a timeout: a query error.
TIMED_OUT = 4


def run(
    work: Callable[[], T], *, what: str, timeout: float | None = None, cleanup: Callable[[], Any] | None = None
) -> T:
    """``work()``, or an exit with a one-line error when Ctrl-C or ``timeout`` (seconds)
    comes first; ``cleanup`` runs before that exit (e.g. removes a half-built store)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the main thread, raised there
            outcome["error"] = exc

    thread = threading.Thread(target=target, name=what, daemon=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        thread.start()
        while thread.is_alive():
            thread.join(0.05)
            if deadline is not None and time.monotonic() > deadline and thread.is_alive():
                _end(f"{what} timed out after {timeout:g} s and was stopped", TIMED_OUT, cleanup)
    except KeyboardInterrupt:
        _end(f"{what} interrupted (Ctrl-C)", INTERRUPTED, cleanup)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _end(message: str, code: int, cleanup: Callable[[], Any] | None) -> None:
    if cleanup is not None:
        cleanup()
    click.echo(f"Error: {message}", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # the worker thread is still inside Oxigraph: end the process under it
