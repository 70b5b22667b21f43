"""Settlement API: statements, lines and payments, row-scoped like the portal; two RPC actions
(issue a period, record a payment) for coordinators. Out-of-scope records answer 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotFound
from core.roles import is_coordinator, user_municipality
from settlement.api.serializers import (
    LineOut,
    PaymentIn,
    PaymentOut,
    PeriodIssueOut,
    StatementLineOut,
    StatementOut,
)
from settlement.models import SettlementPeriod, Statement
from settlement.selectors.statements import (
    lines_for_user,
    payment_advice_many,
    payments_for_user,
    statement_for_user_or_404,
    statement_lines_signed,
    statement_view,
    statements_for_user,
    with_paid,
)
from settlement.services.issue import settlement_payment_record, settlement_period_issue


def _require_settlement_role(user):
    if not (is_coordinator(user) or user_municipality(user) is not None):
        raise NotFound()


def _require_coordinator(user):
    if not is_coordinator(user):
        raise NotFound()


PERIOD_PARAM = OpenApiParameter("period", str, description="Period label, e.g. 2026-03")


@extend_schema(parameters=[PERIOD_PARAM], tags=["settlement"])
class StatementList(generics.ListAPIView):
    serializer_class = StatementOut

    def get_queryset(self):
        _require_settlement_role(self.request.user)
        qs = with_paid(statements_for_user(self.request.user)).order_by("-period__start", "number")
        period = self.request.query_params.get("period")
        return qs.filter(period__label=period) if period else qs

    def get_serializer(self, *args, **kwargs):
        """A page of statements gets its payment advice in a few queries for the whole page."""
        if args and isinstance(args[0], list):
            kwargs["context"] = self.get_serializer_context()
            views = [statement_view(s) for s in args[0]]
            kwargs["context"]["advice"] = {
                s.pk: advice for s, advice in zip(args[0], payment_advice_many(views), strict=True)
            }
        return super().get_serializer(*args, **kwargs)


@extend_schema(tags=["settlement"])
class StatementDetail(generics.RetrieveAPIView):
    serializer_class = StatementOut

    def get_queryset(self):
        _require_settlement_role(self.request.user)
        return with_paid(statements_for_user(self.request.user))


@extend_schema(tags=["settlement"])
class StatementLineList(generics.ListAPIView):
    serializer_class = StatementLineOut

    def get_queryset(self):
        _require_settlement_role(self.request.user)
        statement = statement_for_user_or_404(self.request.user, self.kwargs["pk"])
        return statement_lines_signed(
            municipality=statement.municipality, period=statement.period
        ).select_related("period")


@extend_schema(parameters=[PERIOD_PARAM], tags=["settlement"])
class LineList(generics.ListAPIView):
    serializer_class = LineOut

    def get_queryset(self):
        _require_settlement_role(self.request.user)
        qs = lines_for_user(self.request.user).order_by("period__start", "pk")
        period = self.request.query_params.get("period")
        return qs.filter(period__label=period) if period else qs


@extend_schema(tags=["settlement"])
class PaymentList(generics.ListAPIView):
    serializer_class = PaymentOut

    def get_queryset(self):
        _require_settlement_role(self.request.user)
        return payments_for_user(self.request.user).order_by("pk")


class PaymentCreate(APIView):
    @extend_schema(request=PaymentIn, responses={201: PaymentOut}, tags=["settlement"])
    def post(self, request, pk: int):
        _require_coordinator(request.user)
        statement = get_object_or_404(Statement, pk=pk)
        data = PaymentIn(data=request.data)
        data.is_valid(raise_exception=True)
        payment = settlement_payment_record(
            statement=statement, actor=request.user, **data.validated_data
        )
        return Response(PaymentOut(payment).data, status=status.HTTP_201_CREATED)


class PeriodIssue(APIView):
    @extend_schema(request=None, responses={201: PeriodIssueOut}, tags=["settlement"])
    def post(self, request, label: str):
        _require_coordinator(request.user)
        period = get_object_or_404(SettlementPeriod, label=label)
        statements = settlement_period_issue(period=period, actor=request.user)
        return Response(
            {"period": period.label, "statements": [s.number for s in statements]},
            status=status.HTTP_201_CREATED,
        )
