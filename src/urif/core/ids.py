"""Typed identifiers: distinct names for the strings that identify domain things."""

from __future__ import annotations

from typing import NewType

PartnerId = NewType("PartnerId", str)
EventId = NewType("EventId", str)
LicenceId = NewType("LicenceId", str)
DepositId = NewType("DepositId", str)
ProjectId = NewType("ProjectId", str)
CounterpartyId = NewType("CounterpartyId", str)
MemberId = NewType("MemberId", str)
ProposalId = NewType("ProposalId", str)
OpportunityId = NewType("OpportunityId", str)
CaseId = NewType("CaseId", str)
TermsVersion = NewType("TermsVersion", str)
Currency = NewType("Currency", str)

DFC = PartnerId("dfc")
PPP_AGENCY = PartnerId("ppp_agency")
GP = PartnerId("gp")
USD = Currency("USD")
UAH = Currency("UAH")
