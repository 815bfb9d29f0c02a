"""`haven user create --username U --organization SLUG --role ROLE [--email E] [--team NAME]`: a user with a
membership and a one-time password (printed once, changed at the first sign-in). Audited (actor "system")."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.accounts import services
from haven.accounts.management.commands.org import refusal
from haven.accounts.models import Organization, Role


class Command(BaseCommand):
    help = ("Users: `user create --username U --organization SLUG --role ROLE [--email E] [--team NAME]` creates "
            "one and prints a one-time password.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a user with a role in an organization")
        create.add_argument("--username", required=True)
        create.add_argument("--organization", required=True, help="the organization's slug")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--email", default="")
        create.add_argument("--team", default="", help="for a volunteer: the name of their sponsor group")

    def handle(self, *args, action, username, organization, role, email, team, **options):
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(f"nothing was created.\n--organization: no organization with slug “{organization}” "
                               f"(`haven org create` makes one)")
        try:
            membership, password = services.create_user(actor=None, organization=org, username=username, role=role,
                                                        email=email, team_name=team)
        except ValidationError as error:
            raise refusal(error) from None
        self.stdout.write(self.style.SUCCESS(
            f"created {membership.user.get_username()}: {Role(role).label} of {org.name}"
            + (f" ({membership.team.name})" if membership.team_id else "")))
        self.stdout.write(f"one-time password (shown once; it must be changed at the first sign-in): {password}")
