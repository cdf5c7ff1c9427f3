"""`cti import contacts FILE.csv`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from crm_core.importing import ImportFileError, ImportReport, import_contacts_csv
from crm_core.runtime import open_services
from crm_core.services.dto import Actor
from crm_core.settings import load_settings

MAX_LISTED = 50


async def _import(path: Path, encoding: str, all_or_nothing: bool, bar: tqdm[Any]) -> ImportReport:
    settings = load_settings()
    async with open_services(settings) as services:
        return await import_contacts_csv(
            services.sessions,
            Actor.system("import"),
            path,
            region=settings.default_region,
            encoding=encoding,
            all_or_nothing=all_or_nothing,
            progress=bar.update,
        )


def _print_report(report: ImportReport, all_or_nothing: bool) -> None:
    click.echo(
        f"{report.rows} rows: {report.imported} imported, {len(report.rejected)} rejected, "
        f"{report.companies_created} new companies"
    )
    for rejected in report.rejected[:MAX_LISTED]:
        click.echo(f"  line {rejected.line}: {rejected.reason}", err=True)
    if len(report.rejected) > MAX_LISTED:
        click.echo(f"  ... and {len(report.rejected) - MAX_LISTED} more", err=True)
    if report.rejected and all_or_nothing:
        click.echo("nothing imported (--all-or-nothing)", err=True)


@click.group("import")
def import_() -> None:
    """Import data from files."""


@import_.command("contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--encoding", default="utf-8-sig", show_default=True, help="File encoding, e.g. cp1250."
)
@click.option("--all-or-nothing", is_flag=True, help="Import nothing if any row is rejected.")
def contacts(file: Path, encoding: str, all_or_nothing: bool) -> None:
    """Import contacts from a CSV FILE with the header

    first_name,last_name,company,email,phone,phone2,owner,status

    A name (first or last) is required; phones may be typed in any form (national numbers use
    CRM_DEFAULT_REGION); owner is a user login; status is lead (default), client, partner or
    former; a company is found by name or created. All rows are validated first: bad rows
    (invalid phone or email, unknown owner, a phone already on a card or earlier in the file,
    over-long fields) are listed with their line number and skipped, and the good rows are
    inserted in one transaction - unless --all-or-nothing is given. The file must be UTF-8
    (a BOM is fine); a file in another encoding is refused with a clear error: pass --encoding.
    """
    try:
        with tqdm(desc="contacts", unit="row", total=None) as bar:
            report = asyncio.run(_import(file, encoding, all_or_nothing, bar))
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    _print_report(report, all_or_nothing)
    if report.rejected and all_or_nothing:
        raise SystemExit(1)
