"""Who sees which case: decided once, in cases_visible_to."""

from csphub.accounts.roles import COORDINATOR, EXECUTIVE, PRACTITIONER
from csphub.panels.choices import MembershipRole, TransitionKind, TransitionStatus
from csphub.panels.selectors import cases_visible_to
from csphub.panels.services import add_timeline_entry
from tests.factories import AgencyFactory
from tests.panels.factories import CaseFactory, MembershipFactory, PanelFactory, TransitionFactory


def test_panel_member_sees_the_panels_cases_only(make_user):
    vip, crest = PanelFactory(slug="vip"), PanelFactory(slug="crest")
    member = make_user(PRACTITIONER)
    MembershipFactory(panel=vip, user=member)
    mine, other = CaseFactory(panel=vip), CaseFactory(panel=crest)
    visible = set(cases_visible_to(member))
    assert mine in visible
    assert other not in visible


def test_agency_sees_cases_it_owns_or_a_colleague_is_assigned_to(make_user):
    police = AgencyFactory(name="Police")
    officer, colleague = (
        make_user(PRACTITIONER, agency=police),
        make_user(PRACTITIONER, agency=police),
    )
    owned = CaseFactory(owning_agency=police)
    assigned = CaseFactory()
    assigned.assigned_practitioners.add(colleague)
    neither = CaseFactory()
    visible = set(cases_visible_to(officer))
    assert {owned, assigned} <= visible
    assert neither not in visible


def test_coordinator_sees_cases_being_escalated_to_their_panel(make_user):
    crest = PanelFactory(slug="crest")
    coordinator = make_user(COORDINATOR)
    MembershipFactory(panel=crest, user=coordinator, role=MembershipRole.COORDINATOR)
    pending = TransitionFactory(
        kind=TransitionKind.ESCALATION, to_panel=crest, status=TransitionStatus.PENDING
    )
    rejected = TransitionFactory(
        kind=TransitionKind.ESCALATION, to_panel=crest, status=TransitionStatus.REJECTED
    )
    visible = set(cases_visible_to(coordinator))
    assert pending.case in visible
    assert rejected.case not in visible


def test_executive_sees_no_case_even_on_a_panel(make_user):
    panel = PanelFactory()
    executive = make_user(EXECUTIVE)
    MembershipFactory(panel=panel, user=executive)
    CaseFactory(panel=panel, owning_agency=executive.agency)
    assert not cases_visible_to(executive).exists()


def test_cases_are_listed_once_however_many_reasons_make_them_visible(make_user):
    panel = PanelFactory()
    user = make_user(PRACTITIONER)
    MembershipFactory(panel=panel, user=user)
    case = CaseFactory(panel=panel, owning_agency=user.agency)
    case.assigned_practitioners.add(user, make_user(PRACTITIONER, agency=user.agency))
    assert list(cases_visible_to(user)) == [case]


def test_timeline_entry_records_its_source(make_user):
    case = CaseFactory()
    actor = make_user(PRACTITIONER)
    entry = add_timeline_entry(
        case=case, kind="note", actor=actor, summary="Home visit made", source=case.panel
    )
    assert (entry.source_type, entry.source_id, entry.actor) == (
        "panels.panel",
        str(case.panel.pk),
        actor,
    )
    assert list(case.timeline.all()) == [entry]
