"""The Qt-free command line of ``sla-workbench``.

The program's entry point (:mod:`ui.launcher`) opens the window when it gets no
subcommand and hands everything else to :func:`main` here, so nothing below ``ui/``
ever imports Qt.  Subcommands do headless work; each lives in
``workbench/commands/<name>.py`` with ``register(subparsers)`` and a ``run(args)``
that returns the exit code.  Errors print one clear line and exit non-zero.
"""

from __future__ import annotations

import os
import signal
import sys


def _early_sigint(signum: int, frame: object) -> None:
    """Ctrl-C while the program is still starting (modules loading): nothing has been
    read or written yet, so say so on one line and leave at once."""
    cmd = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else ""
    os.write(2, f"sla-workbench{' ' + cmd if cmd else ''}: interrupted\n".encode())
    os._exit(130)


_early_sigint.early = True  # type: ignore[attr-defined]
if (__name__ == "__main__" or os.path.basename(sys.argv[0]) == "sla-workbench") and (
    signal.getsignal(signal.SIGINT) is signal.default_int_handler
):
    signal.signal(signal.SIGINT, _early_sigint)  # main() installs the real handler

import argparse  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

from workbench.errors import CommandError  # noqa: E402

__all__ = ["CommandError", "main"]

COMMANDS = (
    "schema", "simulate", "import", "contract", "audit", "lint", "redline", "compare", "report", "demo",
)


def _command_modules() -> dict[str, ModuleType]:
    # imported when the parser is built (under the SIGINT handler), not at module import
    from workbench.commands import (
        audit,
        compare,
        contract,
        demo,
        import_,
        lint,
        redline,
        report,
        schema,
        simulate,
    )

    return {"schema": schema, "simulate": simulate, "import": import_, "contract": contract,
            "audit": audit, "lint": lint, "redline": redline, "compare": compare, "report": report,
            "demo": demo}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sla-workbench",
        description="Review and negotiate MSP service level agreements. "
        "Without a subcommand the desktop application opens.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = _command_modules()
    for name in COMMANDS:
        modules[name].register(sub)
    for p in sub.choices.values():
        _add_limit_option(p)
    return parser


def _limit_arg(text: str) -> tuple[str, int]:
    from models.limits import parse_limit

    try:
        return parse_limit(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_limit_option(p: argparse.ArgumentParser) -> None:
    """``--limit NAME=VALUE`` on every subcommand (and its own subcommands): raise one input
    limit of models.limits for this run; a refusal names the option that raises it."""
    from models.limits import RAISABLE

    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _add_limit_option(child)
            return
    p.add_argument("--limit", action="append", default=[], type=_limit_arg, metavar="NAME=VALUE",
                   help="raise an input limit for this run (repeatable); NAME is one of "
                   + ", ".join(RAISABLE) + "; sizes take KB/MB/GB (document-size=500MB)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sla-workbench")
    except PackageNotFoundError:
        return "0+unknown"


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(signal.getsignal(signal.SIGINT), "early", False):
        signal.signal(signal.SIGINT, signal.default_int_handler)  # start-up is over
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        build_parser().print_help(sys.stderr)
        return 2
    name = args_list[0] if not args_list[0].startswith("-") else ""
    previous = _catch_interrupts()
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_unraisable
    try:
        return _run_command(args_list)
    except KeyboardInterrupt:
        return _interrupted(name)
    except BaseException as exc:
        # A library that swallows KeyboardInterrupt (bare ``except:`` around an optional
        # import) or wraps it (an extension module's init turning it into SystemError) must
        # not turn Ctrl-C into a traceback.
        if _sigint.received and not isinstance(exc, SystemExit):
            return _interrupted(name)
        raise
    finally:
        sys.unraisablehook = previous_hook
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _run_command(args_list: list[str]) -> int:
    from models.contract import ContractError  # imported under the SIGINT handler
    from models.limits import LimitExceeded
    from models.store.errors import WorkspaceError

    parser = build_parser()
    args = parser.parse_args(args_list)
    from models import limits

    try:
        with limits.raised(getattr(args, "limit", None) or (), hint=limits.RAISE_WITH_OPTION):
            rc = int(args.run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not as a complaint at exit
        return rc
    except (CommandError, ContractError, LimitExceeded, WorkspaceError) as exc:
        if _sigint.received:
            raise KeyboardInterrupt from None
        print(f"sla-workbench {args.command}: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``sla-workbench lint X | head``): stop quietly, and keep Python
        # from complaining again when it flushes stdout at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141


class _SigintState:
    received = False


_sigint = _SigintState()


def _on_sigint(signum: int, frame: object) -> None:
    _sigint.received = True
    raise KeyboardInterrupt


def _quiet_unraisable(unraisable: Any) -> None:
    """``sys.unraisablehook`` while a command runs: when Ctrl-C lands inside a callback
    Python cannot raise from (a weakref callback, a ``__del__``), the KeyboardInterrupt is
    "ignored" there with a traceback on stderr.  The flag is set all the same and the
    command stops at its next progress check, so that one is dropped silently; anything
    else goes to the usual hook."""
    if _sigint.received and isinstance(unraisable.exc_value, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def _catch_interrupts() -> Any:
    """Install the SIGINT handler that remembers Ctrl-C (then raises KeyboardInterrupt as
    usual); returns the previous handler, or None when SIGINT is ignored or this is not the
    main thread (then nothing is installed)."""
    _sigint.received = False
    try:
        previous = signal.getsignal(signal.SIGINT)
        if previous is not signal.default_int_handler:
            return None
        signal.signal(signal.SIGINT, _on_sigint)
    except ValueError:  # not the main thread
        return None
    return previous


def stop_on_interrupt(fraction: float, message: str) -> bool:
    """A progress callback (``workbench.progress``) that cancels the call once Ctrl-C was
    pressed: a command passes it to a long call so that an interrupt a library swallowed
    still stops the work before anything is written."""
    return not _sigint.received


def _interrupted(name: str) -> int:
    print(f"sla-workbench{' ' + name if name else ''}: interrupted", file=sys.stderr)
    return 130


def one_line(message: str) -> str:
    """An error message on one line: a parser's multi-line report (YAML's "while parsing …
    line 2, column 1") joined with single spaces."""
    return " ".join(message.split())


if __name__ == "__main__":  # pragma: no cover
    # ``python -m workbench.cli``: run the imported module's main, so that the commands (which
    # import workbench.cli) share its state, such as whether Ctrl-C was pressed.
    from workbench.cli import main as _main

    sys.exit(_main())
