"""Changing who a household's principal applicant is: one explicit, audited action
(haven.people.services.make_principal), offered on the person page of every other member."""
from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from haven.audit.services import record_views
from haven.cases.access import get_person_for_user
from haven.forms import add_service_errors
from haven.people import selectors as people_selectors
from haven.people import services as people_services
from haven.people.models import Relationship


class MakePrincipalForm(django_forms.Form):
    former_relationship = django_forms.ChoiceField(
        label=_lazy("What the current principal applicant becomes"),
        choices=[("", _lazy("— choose —")), *((value, label) for value, label in Relationship.choices
                                              if value != Relationship.PRINCIPAL)])


@login_required
@require_http_methods(["GET", "POST"])
def make_principal(request, pk):
    """GET: the confirmation (who is principal now, what they become); POST: the change."""
    person, _perms = get_person_for_user(request.user, pk, write=True)
    former = people_selectors.current_principal(person.household)
    form = MakePrincipalForm(request.POST or None)
    if former is None:  # nothing to ask: the person simply becomes the principal applicant
        form.fields["former_relationship"].required = False
    if request.method == "POST" and form.is_valid():
        try:
            people_services.make_principal(actor=request.user, person=person, former_relationship=(
                form.cleaned_data["former_relationship"] or Relationship.OTHER_RELATIVE))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now the principal applicant.") % {"name": person.display_name})
            return redirect("person_detail", pk=person.pk)
    if request.method == "GET":
        record_views(actor=request.user, objects=[(person, None), *([(former, None)] if former else [])])
    return render(request, "web/people/make_principal.html", {"person": person, "former": former, "form": form})
