"""The exit codes of every command and the one base of powercat's own exceptions.

An exception that derives from PowercatError carries a Chinese message for the user and the
exit code the command ends with; the CLI's top-level handler prints the one and exits with
the other, never a traceback. Bad data is not an exception: it is a finding (check/findings.py)
or a file-level error (ingest/file_errors.py).
"""

from __future__ import annotations

# 0 fine · 1 findings of severity error · 2 usage · 3 an input unreadable or unsafe (the rest
# still processed) · 4 a required system component missing or failing (Graphviz, CJK font,
# Dask) · 5 the output could not be written · 70 an internal error (a bug) · 130 interrupted
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_MISSING_COMPONENT = 4
EXIT_OUTPUT = 5
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class PowercatError(Exception):
    """What stops a command, said in Chinese, with the exit code it ends with."""

    exit_code: int = EXIT_INTERNAL

    def __init__(self, message: str = "", exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code
