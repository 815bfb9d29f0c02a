"""REST API for the funds app (haven.funds), under /api/v1/: campaigns, donors, donations, pledges, receipts
(and their PDF), trust accounts, allocations and disbursements (with approve and pay).

Same rules as the pages: every queryset starts from haven.funds.selectors.visible_<kind>(user) (staff of the
organization see all of it; a sponsor-group volunteer their group's trust and their families' allocations and
disbursements, never a donor, gift or receipt; anyone else 404), every write goes through a service, every read
is audited."""
from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from haven.cases.access import get_visible_or_404
from haven.api.permissions import DEFAULT_PERMISSIONS
from haven.api.services import audit_list, audit_view
from haven.audit.models import Action
from haven.audit.services import record
from haven.funds import ledger, pdf, receipts, selectors, services
from haven.funds.reports import campaign_progress
from haven.funds.models import Allocation, Campaign, Disbursement, Donation, Donor, Pledge, Receipt, TrustAccount
from haven.api.serializers import SafeCharField

NOT_FOUND = OpenApiResponse(description=_("No such record, or one you may not see."))
MONEY = {"max_digits": 20, "decimal_places": 6}  # cents and sign are the services' rules (haven.funds.money)


@extend_schema_field(OpenApiTypes.INT)
class ScopedRelated(serializers.PrimaryKeyRelatedField):
    """A related record chosen by id among those the caller may see (`selector(user)`)."""

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(self.context["request"].user)


# --- serializers ---------------------------------------------------------------------------------------------


class CampaignSerializer(serializers.ModelSerializer):
    raised = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "organization", "name", "goal", "starts_on", "ends_on", "description", "sponsor_group",
                  "raised"]

    def get_raised(self, campaign) -> str:
        return format(campaign_progress([campaign])[0].raised, "f")


class CampaignCreateSerializer(serializers.Serializer):
    organization = ScopedRelated(selectors.staff_organizations)
    name = SafeCharField(max_length=200)
    goal = serializers.DecimalField(**MONEY)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    description = SafeCharField(required=False, allow_blank=True, default="")
    sponsor_group = ScopedRelated(lambda user: selectors.sponsor_groups_of(selectors.staff_org_ids(user)),
                                  required=False, allow_null=True)


class DonorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donor
        fields = ["id", "organization", "kind", "name", "email", "phone", "address"]
        read_only_fields = ["id"]

    organization = ScopedRelated(selectors.staff_organizations)


class PledgeSerializer(serializers.ModelSerializer):
    fulfilled = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = ["id", "donor", "campaign", "amount", "pledged_on", "due_on", "fulfilled"]

    def get_fulfilled(self, pledge) -> str:
        return format(selectors.pledge_fulfilled(pledge), "f")


class PledgeCreateSerializer(serializers.Serializer):
    donor = ScopedRelated(selectors.visible_donors)
    campaign = ScopedRelated(selectors.visible_campaigns, required=False, allow_null=True)
    amount = serializers.DecimalField(**MONEY)
    pledged_on = serializers.DateField()
    due_on = serializers.DateField(required=False, allow_null=True)


class DonationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donation
        fields = ["id", "organization", "donor", "anonymous", "amount", "advantage", "advantage_description",
                  "eligible_amount", "received_on", "method", "campaign", "case", "trust", "pledge", "status"]

    eligible_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)


class DonationCreateSerializer(serializers.Serializer):
    organization = ScopedRelated(selectors.staff_organizations)
    donor = ScopedRelated(selectors.visible_donors, required=False, allow_null=True)
    anonymous = serializers.BooleanField(required=False, default=False)
    amount = serializers.DecimalField(**MONEY)
    advantage = serializers.DecimalField(**MONEY, required=False, default=0)
    advantage_description = SafeCharField(required=False, allow_blank=True, default="")
    received_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Donation.Method.choices, default=Donation.Method.CHEQUE)
    campaign = ScopedRelated(selectors.visible_campaigns, required=False, allow_null=True)
    case = ScopedRelated(selectors.visible_family_cases, required=False, allow_null=True)
    pledge = ScopedRelated(selectors.visible_pledges, required=False, allow_null=True)


class ReceiptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Receipt
        fields = ["id", "number", "donation", "status", "issued_on", "donor_name", "amount", "advantage",
                  "eligible_amount", "replaces", "void_reason", "void_pending"]

    void_pending = serializers.BooleanField(read_only=True)


class ReceiptCreateSerializer(serializers.Serializer):
    donation = ScopedRelated(selectors.visible_donations)


class VoidRequestSerializer(serializers.Serializer):
    reason = SafeCharField(max_length=300)
    replace = serializers.BooleanField(default=True)


class TrustSerializer(serializers.ModelSerializer):
    available = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = TrustAccount
        fields = ["id", "organization", "sponsor_group", "received", "allocated", "available"]


class AllocationSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="fund.case_id", read_only=True)

    class Meta:
        model = Allocation
        fields = ["id", "case", "amount", "allocated_on", "note"]


class AllocationCreateSerializer(serializers.Serializer):
    case = ScopedRelated(selectors.visible_family_cases)
    amount = serializers.DecimalField(**MONEY)
    note = SafeCharField(required=False, allow_blank=True, default="")


class DisbursementSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="fund.case_id", read_only=True)

    class Meta:
        model = Disbursement
        fields = ["id", "case", "month", "due_on", "amount", "status", "requested_by", "approved_by", "paid_on"]


# --- viewsets ------------------------------------------------------------------------------------------------


class FundsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Lists audited as one LIST row; records fetched through the funds selectors (404 if hidden)."""

    permission_classes = DEFAULT_PERMISSIONS
    model: type
    selector = None
    create_serializer_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return type(self).selector(self.request.user).order_by("-pk")

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class:
            return self.create_serializer_class
        return self.serializer_class

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit_list(actor=request.user, model=self.model, objects=page, summary=f"API {request.get_full_path()}")
        return self.get_paginated_response(self.serializer_class(page, many=True, context={"request": request}).data)

    def fetch(self, write: bool = False):
        queryset = self.get_queryset()
        if write:
            queryset = queryset.filter(pk__in=self.write_scope())
        return get_visible_or_404(queryset, self.kwargs["pk"])

    def write_scope(self):
        return self.get_queryset().values("pk")

    def retrieve(self, request, *args, **kwargs):
        obj = self.fetch()
        audit_view(actor=request.user, obj=obj, case_id=getattr(obj, "case_id", None))
        return Response(self.serializer_class(obj, context={"request": request}).data)

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def created(self, obj) -> Response:
        return Response(self.serializer_class(obj, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


STAFF_ONLY = _("For the organization's staff only; anyone else gets 404.")


@extend_schema_view(list=extend_schema(summary=_("Campaigns"), description=STAFF_ONLY),
                    retrieve=extend_schema(summary=_("A campaign, with the amount raised"),
                                           responses={200: CampaignSerializer, 404: NOT_FOUND}),
                    create=extend_schema(summary=_("Create a campaign"), request=CampaignCreateSerializer,
                                         responses={201: CampaignSerializer}))
class CampaignViewSet(FundsViewSet):
    model, serializer_class, create_serializer_class = Campaign, CampaignSerializer, CampaignCreateSerializer
    selector = staticmethod(selectors.visible_campaigns)

    def create(self, request, *args, **kwargs):
        data = self.validated(CampaignCreateSerializer)
        return self.created(services.create_campaign(actor=request.user, **data))


@extend_schema_view(list=extend_schema(summary=_("Donors"), description=STAFF_ONLY),
                    retrieve=extend_schema(summary=_("A donor"), responses={200: DonorSerializer, 404: NOT_FOUND}),
                    create=extend_schema(summary=_("Record a donor"), responses={201: DonorSerializer}))
class DonorViewSet(FundsViewSet):
    model, serializer_class = Donor, DonorSerializer
    selector = staticmethod(selectors.visible_donors)

    def create(self, request, *args, **kwargs):
        data = self.validated(DonorSerializer)
        return self.created(services.create_donor(actor=request.user, **data))


@extend_schema_view(list=extend_schema(summary=_("Pledges"), description=STAFF_ONLY),
                    retrieve=extend_schema(summary=_("A pledge and how much of it was given"),
                                           responses={200: PledgeSerializer, 404: NOT_FOUND}),
                    create=extend_schema(summary=_("Record a pledge"), request=PledgeCreateSerializer,
                                         responses={201: PledgeSerializer}))
class PledgeViewSet(FundsViewSet):
    model, serializer_class, create_serializer_class = Pledge, PledgeSerializer, PledgeCreateSerializer
    selector = staticmethod(selectors.visible_pledges)

    def create(self, request, *args, **kwargs):
        data = self.validated(PledgeCreateSerializer)
        return self.created(services.create_pledge(actor=request.user, **data))


@extend_schema_view(list=extend_schema(summary=_("Gifts received"), description=STAFF_ONLY),
                    retrieve=extend_schema(summary=_("A gift"), responses={200: DonationSerializer, 404: NOT_FOUND}),
                    create=extend_schema(summary=_("Record a gift"), request=DonationCreateSerializer,
                                         responses={201: DonationSerializer}))
class DonationViewSet(FundsViewSet):
    model, serializer_class, create_serializer_class = Donation, DonationSerializer, DonationCreateSerializer
    selector = staticmethod(selectors.visible_donations)

    def create(self, request, *args, **kwargs):
        data = self.validated(DonationCreateSerializer)
        return self.created(services.record_donation(actor=request.user, **data))


@extend_schema_view(list=extend_schema(summary=_("Official donation receipts"), description=STAFF_ONLY),
                    retrieve=extend_schema(summary=_("An official receipt"),
                                           responses={200: ReceiptSerializer, 404: NOT_FOUND}),
                    create=extend_schema(summary=_("Issue the official receipt of a gift"),
                                         request=ReceiptCreateSerializer, responses={201: ReceiptSerializer}))
class ReceiptViewSet(FundsViewSet):
    model, serializer_class, create_serializer_class = Receipt, ReceiptSerializer, ReceiptCreateSerializer
    selector = staticmethod(selectors.visible_receipts)

    def create(self, request, *args, **kwargs):
        data = self.validated(ReceiptCreateSerializer)
        return self.created(receipts.issue_receipt(actor=request.user, donation=data["donation"]))

    @extend_schema(summary=_("The official receipt as PDF"),
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None, **kwargs):
        receipt = self.fetch()
        record(actor=request.user, action=Action.DOWNLOAD, obj=receipt, summary=f"receipt No. {receipt.number} PDF")
        response = HttpResponse(pdf.render_receipt(receipt), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, f"receipt-{receipt.number}.pdf")
        return response

    @extend_schema(summary=_("Ask for the receipt to be voided (a second person approves)"),
                   request=VoidRequestSerializer, responses={200: ReceiptSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None, **kwargs):
        receipt = self.fetch()
        data = self.validated(VoidRequestSerializer)
        receipt = receipts.request_receipt_void(actor=request.user, receipt=receipt, **data)
        return Response(ReceiptSerializer(receipt).data)

    @extend_schema(summary=_("Approve the void (not by the person who asked); returns the replacement if any"),
                   request=None, responses={200: ReceiptSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], url_path="approve-void")
    def approve_void(self, request, pk=None, **kwargs):
        receipt = self.fetch()
        replacement = receipts.approve_receipt_void(actor=request.user, receipt=receipt)
        return Response(ReceiptSerializer(replacement or Receipt.objects.get(pk=receipt.pk)).data)


@extend_schema_view(list=extend_schema(summary=_("Funds held in trust per sponsor group")),
                    retrieve=extend_schema(summary=_("A sponsor group's trust"),
                                           responses={200: TrustSerializer, 404: NOT_FOUND}))
class TrustViewSet(FundsViewSet):
    model, serializer_class = TrustAccount, TrustSerializer
    selector = staticmethod(selectors.visible_trusts)


@extend_schema_view(list=extend_schema(summary=_("Allocations from trust to families")),
                    retrieve=extend_schema(summary=_("An allocation"),
                                           responses={200: AllocationSerializer, 404: NOT_FOUND}),
                    create=extend_schema(summary=_("Allocate from the family's sponsor-group trust"),
                                         request=AllocationCreateSerializer, responses={201: AllocationSerializer}))
class AllocationViewSet(FundsViewSet):
    model, serializer_class, create_serializer_class = Allocation, AllocationSerializer, AllocationCreateSerializer
    selector = staticmethod(selectors.visible_allocations)

    def create(self, request, *args, **kwargs):
        data = self.validated(AllocationCreateSerializer)
        return self.created(ledger.allocate(actor=request.user, **data))


@extend_schema_view(list=extend_schema(summary=_("Monthly disbursements to families")),
                    retrieve=extend_schema(summary=_("A disbursement"),
                                           responses={200: DisbursementSerializer, 404: NOT_FOUND}))
class DisbursementViewSet(FundsViewSet):
    model, serializer_class = Disbursement, DisbursementSerializer
    selector = staticmethod(selectors.visible_disbursements)

    def write_scope(self):
        return self.get_queryset().filter(
            fund__case__organization_id__in=selectors.staff_org_ids(self.request.user)).values("pk")

    @extend_schema(summary=_("Approve a disbursement (not by the person who planned it)"), request=None,
                   responses={200: DisbursementSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, **kwargs):
        disbursement = ledger.approve_disbursement(actor=request.user, disbursement=self.fetch(write=True))
        return Response(DisbursementSerializer(disbursement).data)

    @extend_schema(summary=_("Mark an approved disbursement paid"), request=None,
                   responses={200: DisbursementSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None, **kwargs):
        disbursement = ledger.pay_disbursement(actor=request.user, disbursement=self.fetch(write=True))
        return Response(DisbursementSerializer(disbursement).data)


ROUTES = [
    ("funds/campaigns", CampaignViewSet, "campaign"),
    ("funds/donors", DonorViewSet, "donor"),
    ("funds/pledges", PledgeViewSet, "pledge"),
    ("funds/donations", DonationViewSet, "donation"),
    ("funds/receipts", ReceiptViewSet, "receipt"),
    ("funds/trusts", TrustViewSet, "trust"),
    ("funds/allocations", AllocationViewSet, "allocation"),
    ("funds/disbursements", DisbursementViewSet, "disbursement"),
]
