"""A click group that imports some subcommands only when they are used."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

from entnorm_client.cli_errors import CliError


class LazyGroup(click.Group):
    """`lazy_subcommands` maps a command name to the "module:attribute" of a click command.

    The module is imported only to run that command or to list it in help, so that the commands
    that do not need it never pay for it (`entnorm resolve` never imports the server).
    """

    def __init__(
        self, *args: Any, lazy_subcommands: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, name: str) -> click.Command:
        import_path = self.lazy_subcommands[name]
        module_name, _, attribute = import_path.partition(":")
        try:
            command = getattr(importlib.import_module(module_name), attribute)
        except Exception as error:  # whatever breaks the import, the user gets one line
            return _unavailable(name, f"cannot import {import_path} ({error})")
        if not isinstance(command, click.Command):
            return _unavailable(name, f"{import_path} is not a click command")
        return command


def _unavailable(name: str, reason: str) -> click.Command:
    """A stand-in that says why `name` cannot run, whatever arguments it is given."""

    def fail() -> None:
        raise CliError(f"'{name}' is unavailable: {reason}")

    return click.Command(
        name,
        callback=fail,
        help=f"Unavailable: {reason}",
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
