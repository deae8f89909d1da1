"""`csphub report sna` builds both outputs from one set of inputs; the publishable summary shows
no figure made from fewer than the casework threshold of records."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.core.management import CommandError, call_command

from csphub.panels.choices import SubjectRole
from csphub.panels.models import CaseSubject
from csphub.sna.definitions import preset
from csphub.sna.models import Assessment
from csphub.sna.services import do_build_assessment
from tests.factories import CaseFactory, PersonFactory
from tests.partnerdata.conftest import import_counts
from tests.sna.conftest import BEXLEY, WINDOW

IN_WINDOW = datetime(2023, 3, 15, 12, tzinfo=UTC)
NUMERIC_CELL = re.compile(r'numeric">([^<]*)</td>')


@pytest.fixture
def casework(world):
    """Ten cases referred in the window: 3 to VIP and 7 to CREST, each about a child at risk;
    two of the CREST cases also have an adult offender (25 and over, male)."""
    crest = world.crest
    for _ in range(3):
        CaseFactory(panel=world.vip, owning_agency=world.childrens, referred_at=IN_WINDOW)
    for n in range(7):
        case = CaseFactory(panel=crest, owning_agency=world.childrens, referred_at=IN_WINDOW)
        if n < 2:
            CaseSubject.objects.create(
                case=case,
                person=PersonFactory(date_of_birth=date(1990, 1, 1), gender="male"),
                role=SubjectRole.PERPETRATOR,
            )
    # Two non-domestic homicides in the window: a partner count below the threshold.
    import_counts(world.analyst, [["2023-02", BEXLEY, "non_domestic_homicide", "2"]])


def test_the_command_writes_both_outputs_as_html_and_pdf(world, casework, tmp_path):
    call_command("report_sna", window=WINDOW, output=str(tmp_path))
    stem = "sna-2022-10-2023-09"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{stem}-full.html",
        f"{stem}-full.pdf",
        f"{stem}-summary.html",
        f"{stem}-summary.pdf",
    ]
    for kind in ("full", "summary"):
        assert (tmp_path / f"{stem}-{kind}.pdf").read_bytes().startswith(b"%PDF-")
    full = (tmp_path / f"{stem}-full.html").read_text()
    summary = (tmp_path / f"{stem}-summary.html").read_text()
    assert "OFFICIAL-SENSITIVE" in full and "OFFICIAL-SENSITIVE" not in summary
    statement = preset().statement
    # The definition is stated with the definition and with the success measures, in both
    # outputs (and with the police figures, which this test has none of).
    assert full.count(statement) == 2 and summary.count(statement) == 2
    assessment = Assessment.objects.get()
    assert (assessment.window_start, assessment.window_end) == (date(2022, 10, 1), date(2023, 9, 1))
    assert assessment.full_html == full and assessment.summary_html == summary
    assert "No police recorded crime has been imported" in summary


def test_the_summary_has_no_figure_from_fewer_than_five_records(world, casework):
    summary = do_build_assessment(
        actor=world.analyst, period=preset_window(), area_code=BEXLEY
    ).summary_html
    shown = list(NUMERIC_CELL.findall(summary))
    assert shown, "the summary has tables of counts"
    small = [c for c in shown if c.replace(",", "").isdigit() and 1 <= int(c) <= 4]
    assert small == []
    # VIP's 3 referrals are hidden, and so is CREST's 7, or 10 - 7 would give the 3 back.
    vip = re.search(r"Violence Intervention Panel</th><td[^>]*>([^<]*)<", summary)
    crest = re.search(r">CREST</th><td[^>]*>([^<]*)<", summary)
    assert vip and vip.group(1) == "&lt;5"
    assert crest and crest.group(1) == "[c]"
    # The homicide tile: two, hidden, with no rate that would give it back.
    assert 'class="figure">&lt;5<' in summary
    # The people tables are in the restricted assessment only.
    assert "By ethnicity" not in summary


def test_the_full_assessment_suppresses_its_casework_too(world, casework):
    full = do_build_assessment(
        actor=world.analyst, period=preset_window(), area_code=BEXLEY
    ).full_html
    # 10 children at risk under 18 (shown) and 2 adult offenders (hidden).
    under_18 = re.search(r">Under 18</th><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)<", full)
    adults = re.search(r">25 and over</th><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)<", full)
    assert under_18 and under_18.groups() == ("10", "0")
    assert adults and adults.group(2) == "&lt;5"
    small = [c for c in NUMERIC_CELL.findall(full) if c.isdigit() and 1 <= int(c) <= 4]
    assert small == []


def test_the_same_inputs_give_the_same_documents(world, casework):
    first = do_build_assessment(actor=world.analyst, period=preset_window(), area_code=BEXLEY)
    second = do_build_assessment(actor=world.analyst, period=preset_window(), area_code=BEXLEY)
    assert first.inputs_sha256 == second.inputs_sha256
    assert first.full_html == second.full_html and first.summary_html == second.summary_html
    import_counts(world.analyst, [["2023-05", BEXLEY, "knife_crime_victims", "40"]], name="v.csv")
    third = do_build_assessment(actor=world.analyst, period=preset_window(), area_code=BEXLEY)
    assert third.inputs_sha256 != first.inputs_sha256


def test_a_window_other_than_twelve_months_is_refused(world):
    with pytest.raises(CommandError, match="twelve months"):
        call_command("report_sna", window="2023-01:2023-03")
    with pytest.raises(CommandError, match="not a window"):
        call_command("report_sna", window="2023")
    assert not Assessment.objects.exists()


def test_only_an_analyst_builds(world):
    from django.core.exceptions import PermissionDenied

    for user in (world.outsider, world.executive, world.coordinator):
        with pytest.raises(PermissionDenied):
            do_build_assessment(actor=user, period=preset_window(), area_code=BEXLEY)
    assert not Assessment.objects.exists()


def preset_window():
    from csphub.lib.periods import window

    return window(WINDOW)
