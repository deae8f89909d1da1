"""Who sees which case: decided once, in cases_visible_to."""

from csphub.accounts.roles import COORDINATOR, EXECUTIVE, PRACTITIONER
from csphub.panels import verbs
from csphub.panels.choices import MembershipRole, TransitionKind, TransitionStatus
from csphub.panels.selectors import cases_visible_to
from csphub.panels.services import record_case_event
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    MembershipFactory,
    PanelFactory,
    TransitionFactory,
)


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
    entry = record_case_event(
        verb=verbs.NOTE_ADDED, case=case, actor=actor, summary="Home visit made", source=case.panel
    )
    assert entry is not None
    assert (entry.source_type, entry.source_id, entry.actor) == (
        "panels.panel",
        str(case.panel.pk),
        actor,
    )
    assert list(case.timeline.all()) == [entry]


def test_users_who_may_open_a_case_is_the_same_rule_read_the_other_way(make_user):
    from csphub.accounts.models import User
    from csphub.panels.selectors import users_who_may_open

    police, childrens, school, council = (AgencyFactory() for _ in range(4))
    vip, crest, asb = (PanelFactory(slug=s) for s in ("vip", "crest", "asb"))
    people = {
        "vip member": make_user(PRACTITIONER, agency=police),
        "crest co-ordinator": make_user(COORDINATOR, agency=council),
        "asb member": make_user(PRACTITIONER, agency=council),
        "owner": make_user(PRACTITIONER, agency=childrens),
        "assigned": make_user(PRACTITIONER, agency=school),
        "assignee's colleague": make_user(PRACTITIONER, agency=school),
        "receiving agency": make_user(PRACTITIONER, agency=council),
        "outsider": make_user(PRACTITIONER, agency=AgencyFactory()),
        "executive": make_user(EXECUTIVE, agency=police),
        "no agency": make_user(PRACTITIONER, agency=None),
        "left": make_user(PRACTITIONER, agency=childrens, is_active=False),
        "superuser": make_user(is_superuser=True, agency=None),
        "vip co-ordinator": make_user(COORDINATOR, agency=council),
        "crest member": make_user(PRACTITIONER, agency=AgencyFactory()),
        "seated as co-ordinator without the role": make_user(PRACTITIONER, agency=AgencyFactory()),
    }
    MembershipFactory(panel=vip, user=people["vip member"])
    MembershipFactory(
        panel=crest, user=people["crest co-ordinator"], role=MembershipRole.COORDINATOR
    )
    MembershipFactory(panel=asb, user=people["asb member"])
    MembershipFactory(panel=vip, user=people["vip co-ordinator"], role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=crest, user=people["crest member"])
    MembershipFactory(
        panel=vip,
        user=people["seated as co-ordinator without the role"],
        role=MembershipRole.COORDINATOR,
    )
    plain = CaseFactory(panel=vip, owning_agency=childrens)
    escalating = CaseFactory(panel=asb, owning_agency=police)
    escalating.assigned_practitioners.add(people["assigned"])
    TransitionFactory(
        case=escalating,
        kind=TransitionKind.ESCALATION,
        to_panel=crest,
        status=TransitionStatus.PENDING,
    )
    handed_over = CaseFactory(panel=crest, owning_agency=childrens)
    TransitionFactory(
        case=handed_over,
        kind=TransitionKind.TRANSFER,
        to_agency=council,
        status=TransitionStatus.PENDING,
    )
    referred, refused = CaseFactory(panel=vip, owning_agency=school), CaseFactory(panel=vip)
    TransitionFactory(case=referred, status=TransitionStatus.PENDING, to_agency=school)
    TransitionFactory(case=refused, status=TransitionStatus.REJECTED)
    for case in (plain, escalating, handed_over, referred, refused):
        by_rule = {u for u in User.objects.all() if cases_visible_to(u).filter(pk=case.pk).exists()}
        assert set(users_who_may_open(case)) == by_rule, case
    assert people["outsider"] not in users_who_may_open(plain)
    assert people["assignee's colleague"] in users_who_may_open(escalating)
    # Until a case is accepted, the receiving side is its panel's co-ordinator alone.
    assert people["crest co-ordinator"] in users_who_may_open(escalating)
    assert people["crest member"] not in users_who_may_open(escalating)
    assert people["receiving agency"] not in users_who_may_open(handed_over)
    for case in (referred, refused):
        assert people["vip co-ordinator"] in users_who_may_open(case)
        assert people["vip member"] not in users_who_may_open(case)
        assert people["seated as co-ordinator without the role"] not in users_who_may_open(case)
    assert people["assigned"] in users_who_may_open(referred)  # the referrer's agency (school)
    assert people["vip member"] in users_who_may_open(plain)
