"""The ``zvit`` program itself: set up before anything else is imported, so that Ctrl+C at
any moment — while Python loads zvit, in the middle of a command, while it cleans up —
ends it the same way: one line, exit code 130, no traceback.

What the interrupt cut short is undone by the code it landed in: an atomic write removes
its temporary file (``toolkit.fsutil``), a ledger transaction rolls back, a collect run
drops the archive pack it was writing and stops its workers, LibreOffice is stopped.
The first Ctrl+C starts that; a second one, while it runs, is ignored, so the cleaning
up is never cut short itself."""

from __future__ import annotations

# Only what Python has loaded anyway, before Ctrl+C is taken care of: the rest is loaded
# in ``main``. (The few milliseconds of Python's own start, before this module runs, are
# beyond reach: there Ctrl+C is Python's.)
import os
import signal
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any, NoReturn

    from toolkit.messages import Lang

INTERRUPTED = 130  # 128 + SIGINT: what shells report for a program stopped by Ctrl+C
_MAIN = os.getpid()


def main() -> NoReturn:
    # The words to end with are loaded first, with Ctrl+C held back for that moment (a
    # tenth of a second): a module half-loaded when Ctrl+C came cannot be loaded again.
    came: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: came.append(signum))
    lang, interrupted, aborted = _words()
    signal.signal(signal.SIGINT, _interrupt)
    sys.unraisablehook = _unraisable(sys.unraisablehook)
    try:
        if came:
            _interrupt(signal.SIGINT, None)
        code = _run(lang, aborted)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # done: the interpreter's exit is not cut
    except KeyboardInterrupt:
        print(interrupted, file=sys.stderr, flush=True)
        code = INTERRUPTED
    sys.exit(code)


def _run(lang: Lang, aborted: str) -> int:
    import click

    from toolkit.cli import cli
    from toolkit.commands.language import speaking

    with speaking(lang):  # click's errors are shown here, after its main has returned
        try:
            done = cli.main(prog_name="zvit", standalone_mode=False)
        except click.exceptions.Abort as e:
            if isinstance(e.__cause__, KeyboardInterrupt):
                raise e.__cause__ from None
            click.echo(aborted, err=True)  # a prompt closed (end of input)
            return 1
        except click.ClickException as e:
            e.show()
            return e.exit_code
        except SystemExit as e:  # the commands set their exit code so
            return _code(e.code)
    return done if isinstance(done, int) else 0


def _code(code: Any) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)  # sys.exit("text"): Python prints it and exits with 1
    return 1


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """The first Ctrl+C: stop what runs. A worker process forked from this one and not yet
    on its own handling leaves it to this process, which stops the workers."""
    if os.getpid() != _MAIN:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the cleaning up that follows runs to its end
    raise KeyboardInterrupt


def _unraisable(default: Any) -> Any:
    """Ctrl+C that lands in a callback Python runs on its own — after a fork, in a
    finaliser — cannot stop zvit from there (Python reports it as "ignored"): it is
    raised again a moment later, in zvit's own code, without a traceback."""

    def hook(unraisable: Any) -> None:
        if issubclass(unraisable.exc_type, KeyboardInterrupt):
            _again()
            return
        default(unraisable)

    return hook


def _again() -> None:
    if hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, 0.01)
    else:  # Windows has no timer signal: the next Ctrl+C stops zvit
        signal.signal(signal.SIGINT, _interrupt)


def _raise(signum: int, frame: FrameType | None) -> None:
    if os.getpid() == _MAIN:
        raise KeyboardInterrupt


def _words() -> tuple[Lang, str, str]:
    """The run's language, and what to say on Ctrl+C and when a question got no answer."""
    from toolkit.commands.language import chosen_lang
    from toolkit.messages import t

    lang = chosen_lang(sys.argv[1:])
    return lang, t("cli.interrupted", lang), t("cli.aborted", lang)
