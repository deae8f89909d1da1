"""audit sits below accounts: it names the DPO's role by its key, which must be accounts' own."""

from csphub.accounts import roles
from csphub.audit import apps


def test_audit_grants_to_the_dpo_role_accounts_defines():
    assert apps.DPO == roles.DPO
    assert "audit.view_audit" in roles.ROLES[roles.DPO].permissions
