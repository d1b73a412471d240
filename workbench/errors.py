"""Errors shared by the command line and the GUI."""

from __future__ import annotations


class CommandError(Exception):
    """Bad input to a subcommand: printed as one line, exit status 2."""
