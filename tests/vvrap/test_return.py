"""The quarterly return: xlsx in the template's layout (checked with openpyxl, and opened by
LibreOffice headless and converted to CSV), the column mapping as data, and the PDF."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from csphub.audit.models import AuditEvent
from csphub.vvrap import services
from csphub.vvrap.exports import SUMMARY_HEADER, sheet_title
from csphub.vvrap.models import Theme
from tests.soffice import require_soffice
from tests.vvrap.conftest import submit, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_quarters(vv):
    """4.1: red, amber, green over Q1-Q3; 2.1: green in Q2, red in Q3; 3.1 (weapons) amber in
    Q3 only; a Q3 update for 2.2 still waiting is in no return."""
    p = vv.p
    a31 = services.do_create_plan_item(
        actor=vv.manager,
        plan=vv.plan,
        theme=theme("reducing-access-to-weapons"),
        number="3.1",
        description='=HYPERLINK("http://bad")',  # a formula typed in is kept as text
        outcome="Knife bins at four sites",
        lead=p.owner,
        lead_agencies=[p.childrens],
    )
    a22 = services.do_create_plan_item(
        actor=vv.manager,
        plan=vv.plan,
        theme=theme("analysis-and-enforcement"),
        number="2.2",
        description="Monthly problem profile",
        outcome="Tasking informed by analysis",
        lead=p.member,
        lead_agencies=[p.police],
    )
    sign = lambda u: services.do_sign_off_update(actor=vv.manager, update=u)  # noqa: E731
    for q, rag in ((1, "red"), (2, "amber"), (3, "green")):
        sign(submit(vv.a41, p.owner, 2025, q, rag, f"4.1 in Q{q}"))
    sign(submit(vv.a21, p.member, 2025, 2, "green"))
    sign(submit(vv.a21, p.member, 2025, 3, "red", "Sweeps paused"))
    sign(submit(a31, p.owner, 2025, 3, "amber"))
    submit(a22, p.member, 2025, 3, "green")  # waiting: not in the return
    vv.a31, vv.a22 = a31, a22
    return vv


def _xlsx(vv, year=2025, quarter=3):
    return services.do_export_return(
        actor=vv.manager, plan=vv.plan, year=year, quarter=quarter, fmt="xlsx"
    )


def test_the_xlsx_has_a_summary_then_one_sheet_per_theme(three_quarters, tmp_path):
    path = tmp_path / "return.xlsx"
    path.write_bytes(_xlsx(three_quarters))
    book = load_workbook(path)
    names = [t.name for t in Theme.objects.all()]
    assert book.sheetnames == ["Summary"] + [sheet_title(n, set()) for n in names]
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert list(summary[2]) == SUMMARY_HEADER
    rows = {r[0]: r[1:] for r in summary[3:]}
    # red, amber, green, returned, last quarter's r/a/g, changed, improved, worsened
    assert rows["Safeguarding and educating children and young people"] == (
        0,
        0,
        1,
        1,
        0,
        1,
        0,
        1,
        1,
        0,
    )
    assert rows["Analysis and enforcement"] == (1, 0, 0, 1, 0, 0, 1, 1, 0, 1)
    assert rows["Reducing access to weapons"] == (0, 1, 0, 1, 0, 0, 0, 0, 0, 0)
    assert rows["Governance"] == (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert rows["All themes"] == (1, 1, 1, 3, 0, 1, 1, 2, 1, 1)
    enforcement = list(book["Analysis and enforcement"].iter_rows(values_only=True))
    assert enforcement[0][:4] == ("Ref", "Action", "Outcome sought", "CSP lead")
    assert [r[0] for r in enforcement[1:]] == ["2.1"]  # 2.2 is waiting
    assert enforcement[1][7:] == ("Red", "Because red", "Sweeps paused")
    weapons = list(book["Reducing access to weapons"].iter_rows(values_only=True))
    assert weapons[1][1] == '\'=HYPERLINK("http://bad")'


def test_the_column_mapping_is_data(three_quarters, tmp_path):
    template = three_quarters.plan.template
    template.columns = [["Action no.", "number"], ["Status", "rag"], ["Was", "previous_rag"]]
    template.save()
    path = tmp_path / "r.xlsx"
    path.write_bytes(_xlsx(three_quarters))
    sheet = list(load_workbook(path)["Safeguarding and educating chil"].iter_rows(values_only=True))
    assert sheet == [("Action no.", "Status", "Was"), ("4.1", "Green", "Amber")]


def test_a_template_naming_an_unknown_column_is_refused(three_quarters):
    template = three_quarters.plan.template
    template.columns = [["Ref", "number"], ["Budget", "budget"]]
    template.save()
    with pytest.raises(ValueError, match="budget"):
        _xlsx(three_quarters)


def test_only_the_manager_exports_and_each_download_is_audited(three_quarters):
    vv = three_quarters
    for who in (vv.p.owner, vv.p.member, vv.p.executive, vv.p.outsider, vv.p.anonymous):
        with pytest.raises(PermissionDenied):
            services.do_export_return(actor=who, plan=vv.plan, year=2025, quarter=3, fmt="xlsx")
    _xlsx(vv)
    event = AuditEvent.objects.get(verb="vvrap.return_exported")
    assert event.payload["quarter"] == "2025Q3" and event.payload["format"] == "xlsx"


@pytest.mark.slow
def test_the_pdf_for_the_executive_is_a_pdf(three_quarters):
    pdf = services.do_export_return(
        actor=three_quarters.manager, plan=three_quarters.plan, year=2025, quarter=3, fmt="pdf"
    )
    assert pdf.startswith(b"%PDF")


def libreoffice_csvs(xlsx: Path, out: Path) -> dict[str, list[list[str]]]:
    """Each sheet of XLSX as LibreOffice headless reads it, converted to CSV (one file a sheet)."""
    soffice = require_soffice()
    profile = out / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheets = {}
    for path in out.glob(f"{xlsx.stem}-*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            sheets[path.stem.removeprefix(f"{xlsx.stem}-")] = list(csv.reader(f))
    return sheets


@pytest.mark.slow
def test_libreoffice_opens_the_return_with_the_right_rows_and_counts(three_quarters, tmp_path):
    xlsx = tmp_path / "return.xlsx"
    xlsx.write_bytes(_xlsx(three_quarters))
    sheets = libreoffice_csvs(xlsx, tmp_path)
    assert len(sheets) == 9
    summary = {row[0]: row[1:5] for row in sheets["Summary"][3:]}
    assert summary["All themes"] == ["1", "1", "1", "3"]
    assert summary["Analysis and enforcement"] == ["1", "0", "0", "1"]
    enforcement = sheets["Analysis and enforcement"]
    assert [r[0] for r in enforcement[1:]] == ["2.1"]
    safeguarding = next(s for s in sheets if s.startswith("Safeguarding"))
    assert [r[0] for r in sheets[safeguarding][1:]] == ["4.1"]
    assert sheets[safeguarding][1][7] == "Green"


def test_the_manager_sets_the_next_templates_columns_on_a_page(
    three_quarters, client_for, tmp_path
):
    vv = three_quarters
    url = reverse("vvrap:template_columns", args=[vv.plan.template_id])
    for who in (vv.p.owner, vv.p.executive, vv.p.outsider):
        assert client_for(who).get(url).status_code == 403
    manager = client_for(vv.manager)
    refused = manager.post(url, {"columns": "Ref = number\nBudget = budget"})
    assert (
        refused.status_code == 200 and "Give each column a heading once" in refused.content.decode()
    )
    manager.post(url, {"columns": "Action no. = number\nRAG this quarter = rag\n\nUpdate = update"})
    vv.plan.template.refresh_from_db()
    assert vv.plan.template.columns == [
        ["Action no.", "number"],
        ["RAG this quarter", "rag"],
        ["Update", "update"],
    ]
    path = tmp_path / "r.xlsx"
    path.write_bytes(_xlsx(vv))
    sheet = list(load_workbook(path)["Analysis and enforcement"].iter_rows(values_only=True))
    assert sheet == [("Action no.", "RAG this quarter", "Update"), ("2.1", "Red", "Sweeps paused")]
