"""Edit versions of claims, evidence items and deadline rules (haven.records.versioning): a write based on a version
someone else has replaced is refused with EditConflict and changes nothing; the claim page tells the second writer
what is stored now; the rule admin refuses a stale form."""
from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.claims import services
from haven.claims.models import Claim, DeadlineRule, EvidenceItem
from haven.claims.testing import maple_claim, maple_evidence
from haven.records import EditConflict
from haven.testing.personas import PersonaTestCase


def _updates(obj) -> int:
    return AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(obj.pk),
                                     object_type=f"{obj._meta.app_label}.{obj._meta.model_name}").count()


class ClaimVersionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.claim = maple_claim(cls)

    def test_a_stale_claim_update_is_refused_and_changes_nothing(self):
        first, second = Claim.objects.get(pk=self.claim.pk), Claim.objects.get(pk=self.claim.pk)
        services.update_claim(actor=self.owner, claim=first, province="BC", expected_version=first.version)
        audited = _updates(self.claim)
        with pytest.raises(EditConflict) as raised:
            services.update_claim(actor=self.colleague, claim=second, province="QC", expected_version=second.version)
        assert (raised.value.current.province, raised.value.current.version) == ("BC", 2)
        stored = Claim.objects.get(pk=self.claim.pk)
        assert (stored.province, stored.version) == ("BC", 2)
        assert _updates(self.claim) == audited

    def test_a_stale_evidence_update_is_refused_and_links_nothing(self):
        item = maple_evidence(self)
        first, second = EvidenceItem.objects.get(pk=item.pk), EvidenceItem.objects.get(pk=item.pk)
        version = first.version
        services.update_evidence_item(actor=self.owner, item=first, status=EvidenceItem.Status.OBTAINED,
                                      expected_version=version)
        audited = _updates(item)
        with pytest.raises(EditConflict):
            services.update_evidence_item(actor=self.colleague, item=second, status=EvidenceItem.Status.REQUESTED,
                                          attachments=[], expected_version=version)
        stored = EvidenceItem.objects.get(pk=item.pk)
        assert (stored.status, stored.version) == (EvidenceItem.Status.OBTAINED, version + 1)
        assert list(stored.attachments.all()) == [self.attachment]  # the stale write unlinked nothing
        assert _updates(item) == audited

    def test_a_stale_rule_save_is_refused_and_recomputes_nothing(self):
        rule = DeadlineRule.objects.get(key="boc_due")
        first, second = DeadlineRule.objects.get(pk=rule.pk), DeadlineRule.objects.get(pk=rule.pk)
        first.note = "Checked by the first administrator."
        services.save_rule(actor=self.admin, rule=first, changed_fields=["note"], expected_version=first.version)
        second.period = second.period + 5
        with pytest.raises(EditConflict):
            services.save_rule(actor=self.admin, rule=second, changed_fields=["period"],
                               expected_version=second.version)
        stored = DeadlineRule.objects.get(pk=rule.pk)
        assert (stored.period, stored.note, stored.version) == (rule.period, "Checked by the first administrator.",
                                                                rule.version + 1)

    def test_the_claim_page_carries_the_evidence_version_and_a_stale_post_is_told_what_is_stored(self):
        item = maple_evidence(self)
        self.login_as(self.owner)
        page = self.client.get(reverse("claim_detail", args=[self.claim.pk]))
        assert f'name="version" value="{item.version}"'.encode() in page.content
        services.update_evidence_item(actor=self.colleague, item=item, status=EvidenceItem.Status.OBTAINED,
                                      expected_version=item.version)
        response = self.client.post(reverse("evidence_update", args=[item.pk]),
                                    {"status": EvidenceItem.Status.REQUESTED, "version": item.version - 1})
        assert response.status_code == 302
        shown = [str(message) for message in get_messages(response.wsgi_request)]
        assert len(shown) == 1 and "someone else changed this evidence" in shown[0], shown
        assert str(EvidenceItem.Status.OBTAINED.label) in shown[0] and self.attachment.filename in shown[0]
        stored = EvidenceItem.objects.get(pk=item.pk)
        assert stored.status == EvidenceItem.Status.OBTAINED
        assert list(stored.attachments.all()) == [self.attachment]

    def test_the_rule_admin_refuses_a_form_opened_on_an_older_version(self):
        rule = DeadlineRule.objects.get(key="boc_due")
        url = reverse("admin:claims_deadlinerule_change", args=[rule.pk])
        self.admin.is_staff = self.admin.is_superuser = True
        self.admin.save(update_fields=["is_staff", "is_superuser"])
        self.login_as(self.admin)
        form = self.client.get(url).context["adminform"].form
        data = {name: value for name, value in form.initial.items() if value is not None}
        data.update({"edit_version": rule.version, "period": rule.period + 1})
        changed = DeadlineRule.objects.get(pk=rule.pk)
        changed.note = "Changed meanwhile."
        services.save_rule(actor=self.owner, rule=changed, changed_fields=["note"], expected_version=rule.version)
        response = self.client.post(url, data)
        assert response.status_code == 200  # the form again, with the refusal
        assert "Someone else changed this record" in response.content.decode()
        stored = DeadlineRule.objects.get(pk=rule.pk)
        assert (stored.period, stored.note) == (rule.period, "Changed meanwhile.")
