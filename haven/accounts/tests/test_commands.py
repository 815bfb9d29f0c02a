"""`haven org create` and `haven user create`: an installation starts without the Django admin (issue 14)."""
import io

import pytest
from django.core.management import CommandError, call_command

from haven.accounts.models import Membership, Organization, Team, User
from haven.audit.models import Action, AuditEntry
from haven.audit.verify import verify_chain


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_org_create_then_user_create_with_a_one_time_password():
    assert "created organization Harbour Legal Clinic (slug harbour, Legal clinic" in run(
        "org", "create", "--name", "Harbour Legal Clinic", "--slug", "harbour", "--kind", "legal_clinic")
    organization = Organization.objects.get(slug="harbour")
    Team.objects.create(organization=organization, name="Group A", kind=Team.Kind.SPONSOR_GROUP)
    output = run("user", "create", "--username", "lee@harbour.test", "--organization", "harbour", "--role",
                 "volunteer", "--email", "lee@harbour.test", "--team", "Group A")
    password = output.rsplit(": ", 1)[1].strip()
    user = User.objects.get(username="lee@harbour.test")
    assert user.check_password(password) and user.must_change_password
    assert Membership.objects.get(user=user).team.name == "Group A"
    rows = AuditEntry.objects.filter(action=Action.CREATE, actor_label="system")
    assert sorted(rows.values_list("object_type", flat=True)) == ["accounts.membership", "accounts.organization",
                                                                  "accounts.user"]
    assert not any(password in str(row.changes) for row in rows)
    assert verify_chain().ok


@pytest.mark.django_db
@pytest.mark.parametrize("args, message", [
    (("org", "create", "--name", "X", "--slug", "bad slug", "--kind", "settlement"), "--slug: Enter a valid"),
    (("user", "create", "--username", "a@x.test", "--organization", "nowhere", "--role", "caseworker"),
     "--organization: no organization with slug “nowhere”"),
    (("user", "create", "--username", "a@x.test", "--organization", "maple", "--role", "volunteer"),
     "--team: A sponsor-group volunteer needs"),
    (("user", "create", "--username", "a@x.test", "--organization", "maple", "--role", "caseworker", "--team",
      "Nobody"), "--team: Maple has no team or sponsor group called “Nobody”."),
    (("user", "create", "--username", "taken@maple.test", "--organization", "maple", "--role", "caseworker"),
     "--username: That username is taken"),
])
def test_refusals_name_the_option_and_create_nothing(args, message):
    Organization.objects.create(name="Maple", slug="maple", kind="sponsorship")
    User.objects.create_user(username="taken@maple.test")
    counts = (Organization.objects.count(), User.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match="nothing was created") as raised:
        run(*args)
    assert message in str(raised.value)
    assert (Organization.objects.count(), User.objects.count(), AuditEntry.objects.count()) == counts
