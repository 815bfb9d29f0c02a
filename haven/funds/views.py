"""Funds pages: the overview, campaigns, donors, pledges, donations and their receipts.

Thin: records come through haven.funds.selectors (404 for anyone who may not see them, as for a missing record),
writes through the services, reads of donors, gifts and receipts are audited."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.audit.models import Action
from haven.audit.services import record, record_views
from haven.cases.access import access_profile, not_found
from haven.funds import pdf, receipts, reports, selectors, services
from haven.funds.forms import CampaignForm, DonationForm, DonorForm, PledgeForm, ReasonForm, add_service_errors
from haven.funds.models import Campaign, Disbursement, Receipt


def _one_staff_org(request):
    """The organization a new record belongs to: the user's (first) organization where they are staff; 404 for
    anyone who is nobody's staff."""
    organization = selectors.staff_organizations(request.user).order_by("pk").first()
    if organization is None:
        raise not_found()
    return organization


def _form_page(request, form, *, save, success: str, detail: str, title: str, pk_of=lambda record: record.pk):
    """The create pages' one shape: on a valid POST call the service (`save(cleaned_data)`); its refusal goes on the
    form, its success is announced and leads to the record's page (`detail`, with `pk_of(record)`)."""
    if request.method == "POST" and form.is_valid():
        try:
            record_ = save(dict(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(detail, pk=pk_of(record_))
    return render(request, "funds/form.html", {"form": form, "title": title})


@login_required
@require_GET
def home(request):
    profile = access_profile(request.user)
    staff = profile.staff_org_ids
    aggregate_orgs = staff | profile.analyst_org_ids
    campaigns = Campaign.objects.filter(organization_id__in=aggregate_orgs).select_related("organization")
    progress = reports.campaign_progress(campaigns)
    return render(request, "funds/home.html", {
        "progress": progress,
        "charts": [(item, reports.campaign_chart(item.campaign)) for item in progress],
        "totals": reports.organization_totals(aggregate_orgs) if aggregate_orgs else None,
        "trusts": list(selectors.visible_trusts(request.user).select_related("sponsor_group")),
        "families": reports.family_rows(selectors.visible_family_cases(request.user)),
        "is_staff": bool(staff),
        "pending_months": selectors.visible_disbursements(request.user).filter(
            status=Disbursement.Status.PLANNED, fund__case__organization_id__in=staff).exclude(
            requested_by=request.user).select_related("fund__case")[:50] if staff else [],
        "pending_voids": selectors.visible_receipts(request.user).filter(
            status=Receipt.Status.ISSUED, void_requested_by__isnull=False).exclude(
            void_requested_by=request.user)[:50] if staff else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    organization = _one_staff_org(request)
    form = CampaignForm(request.POST or None, groups=selectors.sponsor_groups_of([organization.pk]))
    return _form_page(
        request, form,
        save=lambda data: services.create_campaign(actor=request.user, organization=organization, **data),
        success=_("Campaign created."), detail="funds:campaign_detail", title=_("New campaign"))


@login_required
@require_GET
def campaign_detail(request, pk):
    campaign = selectors.get_campaign_for_user(request.user, pk)
    progress = reports.campaign_progress([campaign])[0]
    gifts = list(campaign.donations.select_related("donor", "case").prefetch_related("receipts")[:200])
    record_views(actor=request.user, objects=[(campaign, None)])
    return render(request, "funds/campaign_detail.html", {
        "campaign": campaign, "progress": progress, "chart": reports.campaign_chart(campaign), "gifts": gifts})


@login_required
@require_GET
def donor_list(request):
    _one_staff_org(request)
    donors = list(selectors.visible_donors(request.user)[:500])
    record(actor=request.user, action=Action.LIST, summary="donors", changes={"ids": [d.pk for d in donors]})
    return render(request, "funds/donor_list.html", {"donors": donors})


@login_required
@require_http_methods(["GET", "POST"])
def donor_create(request):
    organization = _one_staff_org(request)
    form = DonorForm(request.POST or None)
    return _form_page(
        request, form, save=lambda data: services.create_donor(actor=request.user, organization=organization, **data),
        success=_("Donor recorded."), detail="funds:donor_detail", title=_("New donor"))


@login_required
@require_GET
def donor_detail(request, pk):
    donor = selectors.get_donor_for_user(request.user, pk)
    record_views(actor=request.user, objects=[(donor, None)])
    pledges = [(pledge, selectors.pledge_fulfilled(pledge)) for pledge in donor.pledges.select_related("campaign")]
    return render(request, "funds/donor_detail.html", {
        "donor": donor, "pledges": pledges,
        "gifts": donor.donations.select_related("campaign", "case").prefetch_related("receipts")})


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create(request):
    organization = _one_staff_org(request)
    form = PledgeForm(request.POST or None, initial={"pledged_on": timezone.localdate()},
                      donors=selectors.visible_donors(request.user).filter(organization=organization),
                      campaigns=selectors.visible_campaigns(request.user).filter(organization=organization))
    return _form_page(
        request, form, save=lambda data: services.create_pledge(actor=request.user, **data),
        success=_("Pledge recorded."), detail="funds:donor_detail", title=_("New pledge"),
        pk_of=lambda pledge: pledge.donor_id)


def _donation_form(request, organization):
    user = request.user
    initial = {"received_on": timezone.localdate(), "campaign": request.GET.get("campaign")}
    return DonationForm(
        request.POST or None, initial=initial,
        donors=selectors.visible_donors(user).filter(organization=organization),
        campaigns=selectors.visible_campaigns(user).filter(organization=organization),
        cases=selectors.visible_family_cases(user).filter(organization=organization),
        pledges=selectors.visible_pledges(user).filter(organization=organization).select_related("donor"))


@login_required
@require_http_methods(["GET", "POST"])
def donation_create(request):
    organization = _one_staff_org(request)
    form = _donation_form(request, organization)

    def save(data):
        data["advantage"] = data["advantage"] if data["advantage"] is not None else 0
        return services.record_donation(actor=request.user, organization=organization, **data)

    return _form_page(request, form, save=save, success=_("Gift recorded."), detail="funds:donation_detail",
                      title=_("Record a gift"))


@login_required
@require_GET
def donation_detail(request, pk):
    donation = selectors.get_donation_for_user(request.user, pk)
    record_views(actor=request.user, objects=[(donation, donation.case_id)])
    return render(request, "funds/donation_detail.html", {
        "donation": donation, "receipts": donation.receipts.select_related("replaces").order_by("number")})


@login_required
@require_POST
def receipt_issue(request, pk):
    donation = selectors.get_donation_for_user(request.user, pk, write=True)
    try:
        receipt = receipts.issue_receipt(actor=request.user, donation=donation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("funds:donation_detail", pk=donation.pk)
    messages.success(request, _("Official receipt No. %(number)s issued.") % {"number": receipt.number})
    return redirect("funds:receipt_detail", pk=receipt.pk)


@login_required
@require_GET
def receipt_detail(request, pk):
    receipt = selectors.get_receipt_for_user(request.user, pk)
    record_views(actor=request.user, objects=[(receipt, receipt.donation.case_id)])
    return render(request, "funds/receipt_detail.html", {
        "receipt": receipt, "replaced_by": Receipt.objects.filter(replaces=receipt).first(),
        "void_form": ReasonForm()})


@login_required
@require_GET
def receipt_pdf(request, pk):
    receipt = selectors.get_receipt_for_user(request.user, pk)
    record(actor=request.user, action=Action.DOWNLOAD, obj=receipt, case_id=receipt.donation.case_id,
           summary=f"receipt No. {receipt.number} PDF")
    response = HttpResponse(pdf.render_receipt(receipt), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"receipt-{receipt.number}.pdf")
    return response


@login_required
@require_POST
def receipt_void_request(request, pk):
    receipt = selectors.get_receipt_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the receipt is void (for example: wrong address)."))
        receipts.request_receipt_void(actor=request.user, receipt=receipt, reason=form.cleaned_data["reason"],
                                      replace=form.cleaned_data["replace"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Void requested: another person must approve it."))
    return redirect("funds:receipt_detail", pk=receipt.pk)


@login_required
@require_POST
def receipt_void_approve(request, pk):
    receipt = selectors.get_receipt_for_user(request.user, pk, write=True)
    try:
        replacement = receipts.approve_receipt_void(actor=request.user, receipt=receipt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("funds:receipt_detail", pk=receipt.pk)
    messages.success(request, _("Receipt No. %(number)s is void.") % {"number": receipt.number})
    return redirect("funds:receipt_detail", pk=(replacement or receipt).pk)
