"""`import_contacts_csv`: bad rows reported with line and reason, good rows imported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_core.importing import ImportFileError, import_contacts_csv
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, PageParams
from tests.crm_core.conftest import AddContact
from tests.fixtures.db import MakeUser

HEADER = "first_name,last_name,company,email,phone,phone2,owner,status\n"
IMPORTER = Actor.system("import")


def write(tmp_path: Path, body: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "contacts.csv"
    path.write_bytes((HEADER + body).encode(encoding))
    return path


async def run(services: Services, path: Path, **options: object) -> object:
    return await import_contacts_csv(services.sessions, IMPORTER, path, region="SK", **options)  # type: ignore[arg-type]


async def test_good_rows_import_and_bad_rows_are_reported(
    services: Services, make_user: MakeUser, add_contact: AddContact, tmp_path: Path
) -> None:
    await make_user(Role.AGENT, login="eva")
    existing = await add_contact("Old", "Card", "+421905999999")
    path = write(
        tmp_path,
        "Ján,Šťastný,Acme,jan@example.com,0900 123 456,+420 601 123 456,eva,client\n"
        "王,伟,Acme,,,,,\n"
        ",,,,,,,\n"
        "Bad,Phone,,,123456,,,\n"
        "Dup,Phone,,,00421900123456,,,\n"
        "Taken,Phone,,,0905 999 999,,,\n"
        "Who,Owner,,,,,nobody,\n"
        "Bad,Email,,not-an-email,,,,\n"
        f"{'x' * 101},Long,,,,,,\n",
    )
    report = await import_contacts_csv(services.sessions, IMPORTER, path, region="SK")
    assert (report.rows, report.imported, report.companies_created) == (9, 2, 1)
    reasons = {rejected.line: rejected.reason for rejected in report.rejected}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10]
    assert "name" in reasons[4]
    assert "123456" in reasons[5]
    assert "line 2" in reasons[6]
    assert f"contact {existing.id}" in reasons[7]
    assert "nobody" in reasons[8]
    assert "email" in reasons[9]
    assert "longer" in reasons[10]
    card = await services.cards.lookup("+420601123456")
    assert card is not None
    assert card.contact is not None
    assert (card.contact.last_name, card.contact.status) == ("Šťastný", "client")
    assert card.company is not None
    assert card.company.name == "Acme"
    assert card.owner is not None
    assert card.owner.login == "eva"
    assert (await services.search.search("王", PageParams())).total == 1


async def test_all_or_nothing_imports_nothing_when_a_row_is_bad(
    services: Services, tmp_path: Path
) -> None:
    path = write(tmp_path, "Good,Row,,,0900 123 456,,,\nBad,Row,,,12,,,\n")
    report = await import_contacts_csv(
        services.sessions, IMPORTER, path, region="SK", all_or_nothing=True
    )
    assert report.imported == 0
    assert [rejected.line for rejected in report.rejected] == [3]
    assert await services.cards.lookup("0900 123 456") is None


async def test_non_utf8_file_is_refused_clearly(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "Ján,Šťastný,,,0900 123 456,,,\n", encoding="cp1250")
    with pytest.raises(ImportFileError, match=r"not valid utf-8.*--encoding"):
        await import_contacts_csv(services.sessions, IMPORTER, path, region="SK")
    report = await import_contacts_csv(
        services.sessions, IMPORTER, path, region="SK", encoding="cp1250"
    )
    card = await services.cards.lookup("+421900123456")
    assert report.imported == 1
    assert card is not None
    assert card.contact is not None
    assert card.contact.last_name == "Šťastný"


async def test_missing_columns_are_refused(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,phone\nJan,0900123456\n")
    with pytest.raises(ImportFileError, match="missing columns"):
        await import_contacts_csv(services.sessions, IMPORTER, path, region="SK")
