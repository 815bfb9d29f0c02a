"""`haven org create --name NAME --slug SLUG --kind sponsorship|legal_clinic|settlement`: an organization, so an
installation starts without the Django admin. Audited (actor "system")."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.accounts import services
from haven.accounts.models import Organization


def refusal(error: ValidationError) -> CommandError:
    """A service's ValidationError as one line per problem, naming the option it concerns."""
    if hasattr(error, "error_dict"):
        lines = [f"--{field.replace('_', '-')}: {message}" if field != "__all__" else message
                 for field, messages in error.message_dict.items() for message in messages]
    else:
        lines = error.messages
    return CommandError("nothing was created.\n" + "\n".join(lines))


class Command(BaseCommand):
    help = "Organizations: `org create --name NAME --slug SLUG --kind KIND` creates one."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create an organization")
        create.add_argument("--name", required=True)
        create.add_argument("--slug", required=True, help="letters, digits, hyphens; used in commands and URLs")
        create.add_argument("--kind", required=True, choices=Organization.Kind.values)

    def handle(self, *args, action, name, slug, kind, **options):
        try:
            organization = services.create_organization(actor=None, name=name, slug=slug, kind=kind)
        except ValidationError as error:
            raise refusal(error) from None
        self.stdout.write(self.style.SUCCESS(
            f"created organization {organization.name} (slug {organization.slug}, "
            f"{Organization.Kind(organization.kind).label}, id {organization.pk})"))
