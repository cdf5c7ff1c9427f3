"""The `cti` command line. Each command group lives in its own module under cti/commands/."""

from __future__ import annotations

import importlib

import click

from cti.version import package_version

# (module, attribute) pairs; each attribute is a click command or group.
_COMMANDS: tuple[tuple[str, str], ...] = (
    ("cti.commands.serve", "serve"),
    ("cti.commands.db", "db"),
    ("cti.commands.users", "user"),
    ("cti.commands.importer", "import_"),
    ("cti.commands.demo", "demo_data"),
    ("cti.commands.sandbox", "sandbox"),
    ("cti.commands.dialplan", "dialplan"),
    ("cti.commands.simulate", "simulate"),
    ("cti.commands.record", "record"),
    ("cti.commands.replay", "replay"),
    ("cti.commands.openapi", "openapi"),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_version(), prog_name="cti", message="%(prog)s %(version)s")
def cli() -> None:
    """CTI Bridge: connect Asterisk to the CRM, pop client cards, log every call."""


def _register_commands() -> None:
    for module_name, attribute in _COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # command not built yet
        cli.add_command(getattr(module, attribute))


_register_commands()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
