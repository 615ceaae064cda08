"""create_practice --from-csv: one transaction per row, per-row errors, summary."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from practices.models import Practice

pytestmark = pytest.mark.django_db


def run_csv(path) -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("create_practice", "--from-csv", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_good_rows_are_created_and_bad_rows_reported_by_line(tmp_path) -> None:
    csv_file = tmp_path / "practices.csv"
    csv_file.write_text(
        "name,slug,hostname,owner_email,template,aliases\n"
        "Oak Dental,oak,oak.example.test,,dentistry,www.oak.example.test\n"
        "Bad Slug,Not A Slug,bad.example.test,,,\n"
        "Elm Clinic,elm,elm.example.test,owner@elm.example.test,general,\n"
        "Dup Host,dup,oak.example.test,,,\n"
        "Spa,spa,spa.example.test,,no-such-template,\n",
        encoding="utf-8",
    )

    out, err, error = run_csv(csv_file)

    assert sorted(Practice.objects.values_list("slug", flat=True)) == ["elm", "oak"]
    assert f"{csv_file}:3: slug: Use 1-50 lowercase letters" in err
    assert f"{csv_file}:5: hostname: 'oak.example.test' is already used by another site." in err
    assert f"{csv_file}:6: template: unknown template 'no-such-template'" in err
    assert f"{csv_file}:2: oak: created" in out
    assert "2 created, 0 unchanged, 3 failed" in out
    assert str(error) == "3 row(s) failed; the other rows were applied."


def test_rerunning_the_same_csv_is_idempotent(tmp_path) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text("name,slug,hostname\nOak,oak,oak.example.test\n", encoding="utf-8")
    assert run_csv(csv_file)[2] is None
    out, _, error = run_csv(csv_file)
    assert error is None
    assert "0 created, 1 unchanged, 0 failed" in out
    assert Practice.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,slug\nOak,oak\n", ":1: missing column(s): hostname"),
        ("name,slug,hostname,colour\nOak,oak,o.test,red\n", ":1: unknown column(s): colour"),
    ],
)
def test_a_malformed_file_is_rejected_before_any_row(tmp_path, content, message) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text(content, encoding="utf-8")
    _, _, error = run_csv(csv_file)
    assert str(error) == f"{csv_file}{message}"
    assert Practice.objects.count() == 0


def test_a_missing_file_names_the_file(tmp_path) -> None:
    _, _, error = run_csv(tmp_path / "absent.csv")
    assert str(error) == f"{tmp_path / 'absent.csv'}: cannot read file: No such file or directory"


def test_a_bom_and_windows_line_endings_are_accepted(tmp_path) -> None:
    csv_file = tmp_path / "excel.csv"
    csv_file.write_bytes("\ufeffname,slug,hostname\r\nOak,oak,oak.example.test\r\n".encode())
    assert run_csv(csv_file)[2] is None
    assert Practice.objects.get().slug == "oak"
