"""Scenario specifications: what a simulation assumes, read from YAML at the edge.

Owns ``ScenarioSpec`` and its parts (frozen dataclasses the engine reads), the pydantic
models that validate a YAML file, the provenance check (every number in a scenario is
sourced or marked ``assumed``) and the loader for the shipped ``baseline.yaml``.
"""

from __future__ import annotations

import fnmatch
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from urif.core.errors import InvalidInput, Problem

PRICE_MODELS = ("gbm", "schwartz", "schwartz_smith")
LICENCE_STATUS = ("none", "existing_undeveloped", "existing_developed")
INSTRUMENTS = ("licence", "special_permit", "psa")
PROVENANCE_STATUS = ("known", "reported", "assumed", "disputed")


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class PriceModel:
    """A commodity's price process; unused fields of other kinds stay zero.

    ``gbm``: ``drift``, ``sigma``. ``schwartz`` (one-factor, log-OU): ``kappa``, ``sigma``,
    ``long_run`` (the price level ln S reverts to). ``schwartz_smith``: ``kappa``,
    ``sigma_chi``, ``mu_xi``, ``sigma_xi``, ``rho``, with ``chi0`` the start deviation.
    """

    commodity: str
    unit: str
    kind: str
    spot: float
    drift: float = 0.0
    sigma: float = 0.0
    kappa: float = 0.0
    long_run: float = 0.0
    sigma_chi: float = 0.0
    mu_xi: float = 0.0
    sigma_xi: float = 0.0
    rho: float = 0.0
    chi0: float = 0.0


@dataclass(frozen=True, slots=True)
class DepositSpec:
    """One deposit's licensing, project economics and the fund's part in it."""

    id: str
    commodity: str  # price model key
    resource: str  # Annex resource name the terms use
    oblast: str
    territory: str  # controlled | frontline | occupied
    licence_status: str  # none | existing_undeveloped | existing_developed
    instrument: str  # licence | special_permit | psa
    licence_issued_year: int | None  # existing licences: year issued
    start_year: int  # first year the award (none) or development start (existing) may happen
    start_probability: float  # annual hazard from start_year; 1.0 = certain
    permit_fee_usd: float
    signing_bonus_usd: float
    capex_usd: tuple[float, ...]  # per build year, from the start year
    ore_tpa: float  # tonnes of ore a year at full rate
    grade: float  # product-equivalent fraction of ore
    recovery: float
    ramp: tuple[float, ...]  # fraction of full rate in the first production years
    life_years: int
    opex_per_unit: float  # USD per unit of product
    royalty_rate: float  # rent, ad valorem (licence, special permit)
    psa_state_share: float  # the state's share of profit product (PSA)
    fund_invest: bool
    fund_equity_share: float

    @property
    def total_capex(self) -> float:
        """Sum of the capex schedule."""
        return float(sum(self.capex_usd))


@dataclass(frozen=True, slots=True)
class ConflictSpec:
    """Occupation, liberation, front-line disruption and damage, and a ceasefire."""

    ceasefire_year: int | None
    liberation_hazard: float
    liberation_hazard_after_ceasefire: float
    oblast_liberation_hazard: tuple[tuple[str, float], ...]
    post_liberation_lag_years: int
    disruption_probability: float
    damage_probability: float
    damage_cost_fraction: float
    disruption_probability_after_ceasefire: float
    damage_probability_after_ceasefire: float

    def hazard_for(self, oblast: str) -> float:
        """Annual liberation hazard before any ceasefire for ``oblast``."""
        return dict(self.oblast_liberation_hazard).get(oblast, self.liberation_hazard)


@dataclass(frozen=True, slots=True)
class ConversionSpec:
    """Periods of restricted UAH conversion (Art. V crisis measure) that delay transfers."""

    start_probability: float
    end_probability: float
    restricted_years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FxSpec:
    """UAH per USD: start level, yearly log drift and volatility."""

    uah_per_usd: float
    drift: float
    sigma: float


@dataclass(frozen=True, slots=True)
class InKindSpec:
    """US military aid delivered after entry into force that may be credited as capital."""

    start_year: int
    end_year: int
    mean_usd: float
    probability: float
    sigma: float
    agreed: bool


@dataclass(frozen=True, slots=True)
class ContributionSpec:
    """Cash paths of both sides and the US in-kind aid path."""

    us_cash_usd: tuple[tuple[int, float], ...]
    ukraine_cash_usd: tuple[tuple[int, float], ...]
    ukraine_extra_cash_uah: tuple[tuple[int, float], ...]
    ukraine_extra_cash_probability: float
    in_kind: InKindSpec
    past_aid_usd: float = 0.0  # credited only where the terms credit past aid


@dataclass(frozen=True, slots=True)
class OtherPermitsSpec:
    """New special permits for Annex resources beyond the named deposits, in aggregate.

    Each year from ``start_year``: auction receipts of about ``auction_usd`` and rent that
    grows by ``royalty_growth_usd`` a year, both scaled by a lognormal with ``sigma``.
    """

    start_year: int
    auction_usd: float
    royalty_growth_usd: float
    sigma: float


@dataclass(frozen=True, slots=True)
class FundSpec:
    """The pipeline rule, fees and the distribution policy after the lock."""

    fee_rate: float
    max_cash_fraction_per_project: float
    other_share_of_free_cash: float
    other_yield_mean: float
    other_yield_sd: float
    payout_ratio: float
    agreement_probability: float
    cit_rate: float


@dataclass(frozen=True, slots=True)
class ProvenanceEntry:
    """Where the numbers under a path pattern come from."""

    pattern: str
    status: str
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """Everything one simulation assumes (besides the term set's own values)."""

    name: str
    description: str
    terms: str
    start_year: int
    end_year: int
    discount_rate: float
    fx: FxSpec
    prices: tuple[PriceModel, ...]
    correlation: tuple[tuple[str, str, float], ...]
    deposits: tuple[DepositSpec, ...]
    conflict: ConflictSpec
    conversion: ConversionSpec
    contributions: ContributionSpec
    fund: FundSpec
    other_permits: OtherPermitsSpec = OtherPermitsSpec(0, 0.0, 0.0, 0.0)
    provenance: tuple[ProvenanceEntry, ...] = ()
    unsourced: tuple[str, ...] = field(default=())

    @property
    def years(self) -> tuple[int, ...]:
        """Every simulated calendar year, inclusive."""
        return tuple(range(self.start_year, self.end_year + 1))

    def price(self, commodity: str) -> PriceModel:
        """The price model of ``commodity``."""
        for model in self.prices:
            if model.commodity == commodity:
                return model
        raise InvalidInput(f"scenario {self.name}: no price model for {commodity!r}")


# --------------------------------------------------------------------------- YAML edge


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Price(_Strict):
    unit: str
    model: Literal["gbm", "schwartz", "schwartz_smith"]
    spot: float = Field(gt=0)
    drift: float = 0.0
    sigma: float = Field(0.0, ge=0)
    kappa: float = Field(0.0, ge=0)
    long_run: float = Field(0.0, ge=0)
    sigma_chi: float = Field(0.0, ge=0)
    mu_xi: float = 0.0
    sigma_xi: float = Field(0.0, ge=0)
    rho: float = Field(0.0, ge=-1, le=1)
    chi0: float = 0.0

    @model_validator(mode="after")
    def _needs(self) -> _Price:
        if self.model == "schwartz" and (self.kappa <= 0 or self.long_run <= 0):
            raise ValueError("schwartz needs kappa > 0 and long_run > 0")
        if self.model == "schwartz_smith" and self.kappa <= 0:
            raise ValueError("schwartz_smith needs kappa > 0")
        return self


class _Licence(_Strict):
    status: Literal["none", "existing_undeveloped", "existing_developed"]
    instrument: Literal["licence", "special_permit", "psa"] = "licence"
    issued_year: int | None = None
    start_year: int
    annual_probability: float = Field(ge=0, le=1)
    permit_fee_usd: float = Field(0.0, ge=0)
    signing_bonus_usd: float = Field(0.0, ge=0)


class _Project(_Strict):
    capex_usd: list[float] = Field(default_factory=list)
    ore_tpa: float = Field(ge=0)
    grade: float = Field(ge=0, le=1)
    recovery: float = Field(ge=0, le=1)
    ramp: list[float] = Field(default_factory=list)
    life_years: int = Field(ge=0)
    opex_per_unit: float = Field(ge=0)
    royalty_rate: float = Field(0.0, ge=0, le=1)
    psa_state_share: float = Field(0.0, ge=0, le=1)


class _FundPart(_Strict):
    invest: bool = False
    equity_share: float = Field(0.0, ge=0, le=1)


class _Deposit(_Strict):
    commodity: str
    resource: str
    territory: Literal["controlled", "frontline", "occupied"] | None = None
    licence: _Licence
    project: _Project
    fund: _FundPart = _FundPart()


class _Conflict(_Strict):
    ceasefire_year: int | None = None
    liberation_hazard: float = Field(ge=0, le=1)
    liberation_hazard_after_ceasefire: float = Field(ge=0, le=1)
    oblast_liberation_hazard: dict[str, float] = Field(default_factory=dict)
    post_liberation_lag_years: int = Field(0, ge=0)
    disruption_probability: float = Field(ge=0, le=1)
    damage_probability: float = Field(ge=0, le=1)
    damage_cost_fraction: float = Field(ge=0)
    disruption_probability_after_ceasefire: float = Field(ge=0, le=1)
    damage_probability_after_ceasefire: float = Field(ge=0, le=1)


class _Conversion(_Strict):
    start_probability: float = Field(ge=0, le=1)
    end_probability: float = Field(ge=0, le=1)
    restricted_years: list[int] = Field(default_factory=list)


class _Fx(_Strict):
    uah_per_usd: float = Field(gt=0)
    drift: float = 0.0
    sigma: float = Field(0.0, ge=0)


class _InKind(_Strict):
    start_year: int
    end_year: int
    mean_usd: float = Field(ge=0)
    probability: float = Field(ge=0, le=1)
    sigma: float = Field(0.0, ge=0)
    agreed: bool = True


class _Contributions(_Strict):
    us_cash_usd: dict[int, float] = Field(default_factory=dict)
    ukraine_cash_usd: dict[int, float] = Field(default_factory=dict)
    ukraine_extra_cash_uah: dict[int, float] = Field(default_factory=dict)
    ukraine_extra_cash_probability: float = Field(1.0, ge=0, le=1)
    past_aid_usd: float = Field(0.0, ge=0)
    in_kind: _InKind


class _OtherPermits(_Strict):
    start_year: int
    auction_usd: float = Field(ge=0)
    royalty_growth_usd: float = Field(ge=0)
    sigma: float = Field(0.0, ge=0)


class _Fund(_Strict):
    fee_rate: float = Field(ge=0, le=1)
    max_cash_fraction_per_project: float = Field(ge=0, le=1)
    other_share_of_free_cash: float = Field(ge=0, le=1)
    other_yield_mean: float
    other_yield_sd: float = Field(ge=0)
    payout_ratio: float = Field(ge=0, le=1)
    agreement_probability: float = Field(ge=0, le=1)
    cit_rate: float = Field(ge=0, le=1)


class _Provenance(_Strict):
    status: Literal["known", "reported", "assumed", "disputed"]
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _sourced(self) -> _Provenance:
        if self.status != "assumed" and not self.source:
            raise ValueError(f"status {self.status!r} needs a source")
        return self


class _Scenario(_Strict):
    scenario: str
    description: str = ""
    terms: str
    start_year: int
    end_year: int
    discount_rate: float = Field(ge=-0.5, le=1)
    fx: _Fx
    prices: dict[str, _Price]
    correlation: list[tuple[str, str, float]] = Field(default_factory=list)
    deposits: dict[str, _Deposit]
    conflict: _Conflict
    conversion: _Conversion
    contributions: _Contributions
    fund: _Fund
    other_permits: _OtherPermits | None = None
    provenance: dict[str, _Provenance] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> _Scenario:
        if self.end_year < self.start_year:
            raise ValueError("end_year is before start_year")
        for ident, dep in self.deposits.items():
            if dep.commodity not in self.prices:
                raise ValueError(f"deposit {ident}: no price model for {dep.commodity!r}")
        for a, b, rho in self.correlation:
            if a not in self.prices or b not in self.prices:
                raise ValueError(f"correlation {a}/{b}: unknown commodity")
            if not -1 < rho < 1:
                raise ValueError(f"correlation {a}/{b}: expected -1 < rho < 1, got {rho}")
        return self


# --------------------------------------------------------------------------- provenance


def numeric_paths(data: object, prefix: str = "") -> Iterator[str]:
    """Dotted paths of every number in a parsed YAML tree (a list of numbers is one leaf).

    >>> list(numeric_paths({"a": {"b": 1, "c": "x", "d": [1, 2]}, "e": [["x", "y", 0.3]]}))
    ['a.b', 'a.d', 'e']
    """
    if isinstance(data, bool):
        return
    if isinstance(data, (int, float)):
        yield prefix
    elif isinstance(data, Mapping):
        for key, value in data.items():
            if prefix == "" and key == "provenance":
                continue
            yield from numeric_paths(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, (list, tuple)) and any(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in _flatten(data)
    ):
        yield prefix


def _flatten(items: list[object] | tuple[object, ...]) -> Iterator[object]:
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _flatten(item)
        else:
            yield item


def unsourced_paths(data: Mapping[str, Any], patterns: list[str]) -> tuple[str, ...]:
    """Numeric paths that no provenance pattern covers (fnmatch on dotted paths).

    >>> unsourced_paths({"a": 1, "b": {"c": 2}}, ["b.*"])
    ('a',)
    """
    return tuple(
        path
        for path in numeric_paths(data)
        if not any(fnmatch.fnmatchcase(path, p) for p in patterns)
    )


# --------------------------------------------------------------------------- loading


def _to_spec(
    model: _Scenario, raw: Mapping[str, Any], catalogue_ids: Mapping[str, Any]
) -> ScenarioSpec:
    deposits = []
    for ident, dep in model.deposits.items():
        known = catalogue_ids.get(ident)
        territory = dep.territory or (known.territory if known is not None else "controlled")
        oblast = known.oblast if known is not None else "unknown"
        lic, proj = dep.licence, dep.project
        deposits.append(
            DepositSpec(
                id=ident,
                commodity=dep.commodity,
                resource=dep.resource,
                oblast=oblast,
                territory=territory,
                licence_status=lic.status,
                instrument=lic.instrument,
                licence_issued_year=lic.issued_year,
                start_year=lic.start_year,
                start_probability=lic.annual_probability,
                permit_fee_usd=lic.permit_fee_usd,
                signing_bonus_usd=lic.signing_bonus_usd,
                capex_usd=tuple(proj.capex_usd),
                ore_tpa=proj.ore_tpa,
                grade=proj.grade,
                recovery=proj.recovery,
                ramp=tuple(proj.ramp),
                life_years=proj.life_years,
                opex_per_unit=proj.opex_per_unit,
                royalty_rate=proj.royalty_rate,
                psa_state_share=proj.psa_state_share,
                fund_invest=dep.fund.invest,
                fund_equity_share=dep.fund.equity_share,
            )
        )
    c, cv, ct, f = model.conflict, model.conversion, model.contributions, model.fund
    patterns = list(model.provenance)
    return ScenarioSpec(
        name=model.scenario,
        description=model.description,
        terms=model.terms,
        start_year=model.start_year,
        end_year=model.end_year,
        discount_rate=model.discount_rate,
        fx=FxSpec(model.fx.uah_per_usd, model.fx.drift, model.fx.sigma),
        prices=tuple(
            PriceModel(
                commodity=name,
                unit=p.unit,
                kind=p.model,
                spot=p.spot,
                drift=p.drift,
                sigma=p.sigma,
                kappa=p.kappa,
                long_run=p.long_run,
                sigma_chi=p.sigma_chi,
                mu_xi=p.mu_xi,
                sigma_xi=p.sigma_xi,
                rho=p.rho,
                chi0=p.chi0,
            )
            for name, p in model.prices.items()
        ),
        correlation=tuple((a, b, float(r)) for a, b, r in model.correlation),
        deposits=tuple(deposits),
        conflict=ConflictSpec(
            ceasefire_year=c.ceasefire_year,
            liberation_hazard=c.liberation_hazard,
            liberation_hazard_after_ceasefire=c.liberation_hazard_after_ceasefire,
            oblast_liberation_hazard=tuple(sorted(c.oblast_liberation_hazard.items())),
            post_liberation_lag_years=c.post_liberation_lag_years,
            disruption_probability=c.disruption_probability,
            damage_probability=c.damage_probability,
            damage_cost_fraction=c.damage_cost_fraction,
            disruption_probability_after_ceasefire=c.disruption_probability_after_ceasefire,
            damage_probability_after_ceasefire=c.damage_probability_after_ceasefire,
        ),
        conversion=ConversionSpec(
            cv.start_probability, cv.end_probability, tuple(sorted(cv.restricted_years))
        ),
        contributions=ContributionSpec(
            us_cash_usd=tuple(sorted(ct.us_cash_usd.items())),
            ukraine_cash_usd=tuple(sorted(ct.ukraine_cash_usd.items())),
            ukraine_extra_cash_uah=tuple(sorted(ct.ukraine_extra_cash_uah.items())),
            ukraine_extra_cash_probability=ct.ukraine_extra_cash_probability,
            in_kind=InKindSpec(
                ct.in_kind.start_year,
                ct.in_kind.end_year,
                ct.in_kind.mean_usd,
                ct.in_kind.probability,
                ct.in_kind.sigma,
                ct.in_kind.agreed,
            ),
            past_aid_usd=ct.past_aid_usd,
        ),
        other_permits=(
            OtherPermitsSpec(
                model.other_permits.start_year,
                model.other_permits.auction_usd,
                model.other_permits.royalty_growth_usd,
                model.other_permits.sigma,
            )
            if model.other_permits is not None
            else OtherPermitsSpec(0, 0.0, 0.0, 0.0)
        ),
        fund=FundSpec(
            fee_rate=f.fee_rate,
            max_cash_fraction_per_project=f.max_cash_fraction_per_project,
            other_share_of_free_cash=f.other_share_of_free_cash,
            other_yield_mean=f.other_yield_mean,
            other_yield_sd=f.other_yield_sd,
            payout_ratio=f.payout_ratio,
            agreement_probability=f.agreement_probability,
            cit_rate=f.cit_rate,
        ),
        provenance=tuple(
            ProvenanceEntry(k, v.status, v.source, v.note) for k, v in model.provenance.items()
        ),
        unsourced=unsourced_paths(raw, patterns),
    )


def parse_scenario(text: str, *, origin: str = "scenario") -> ScenarioSpec:
    """Validate scenario YAML text into a ``ScenarioSpec``; every problem at once."""
    from urif.sim.catalogue import load_catalogue

    try:
        raw = YAML(typ="safe", pure=True).load(io.StringIO(text))
    except YAMLError as error:
        raise InvalidInput(f"{origin}: not valid YAML: {error}") from None
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{origin}: expected a mapping at the top, got {type(raw).__name__}")
    try:
        model = _Scenario.model_validate(raw)
    except ValidationError as error:
        problems = tuple(
            Problem(f"{origin}: " + ".".join(str(p) for p in e["loc"]), e["msg"])
            for e in error.errors()
        )
        raise InvalidInput(
            f"{origin}: {len(problems)} problem(s) in the scenario", problems
        ) from None
    catalogue = {d.id: d for d in load_catalogue()}
    return _to_spec(model, raw, catalogue)


def baseline_text() -> str:
    """The shipped baseline scenario YAML."""
    return resources.files("urif.sim").joinpath("data/baseline.yaml").read_text("utf-8")


def load_scenario(path: Path | None = None) -> ScenarioSpec:
    """The scenario at ``path``, or the shipped baseline when ``path`` is None."""
    if path is None:
        return parse_scenario(baseline_text(), origin="baseline.yaml")
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise InvalidInput(f"scenario {path}: cannot read: {error.strerror}") from None
    return parse_scenario(text, origin=str(path))
