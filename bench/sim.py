"""Benchmark of the Monte Carlo engine (issue 7). One JSON line per figure.

1. 100,000 paths x 31 years x 18 deposits, baseline scenario, local executor (2 workers):
   target under 10 s.
2. The same model as a plain scalar Python loop on 1,000 paths (same draws; its fund NAV
   must equal the engine's): at least 200x slower per path.
3. 1,000,000 paths with peak resident memory (this process plus workers) under 4 GiB.
4. Dask and Ray on a local 2-worker cluster: the same headline numbers, and throughput.

Run: ``.venv/bin/python bench/sim.py [--quick]`` (``--quick`` divides path counts by 10).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import resource
import sys
import time
from typing import Any

import numpy as np

from urif.sim.engine import BLOCK, Compiled, Draws, block_seeds, compile_model, draw_blocks, evolve
from urif.sim.executors import make_executor
from urif.sim.prices import simulate_prices
from urif.sim.results import summarise
from urif.sim.scenario import load_scenario
from urif.sim.simulation import simulate
from urif.terms import load_termset


def emit(**fields: Any) -> None:
    """Print one JSON line."""
    print(json.dumps(fields), flush=True)


def rss_gib() -> float:
    """Peak resident memory of this process and its finished children, GiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024**2


def scalar_nav_end(c: Compiled, d: Draws) -> list[float]:
    """The engine's model written as plain Python loops over paths, years and deposits.

    Float mode, pro-rata allocation, no preferred return (the signed terms); returns each
    path's fund net assets in the last year.
    """
    prices_all = simulate_prices(c.prices, d.z_price, scale=c.vol_scale).tolist()
    years, dd = c.n_years, len(c.deposits)
    capex = c.capex.tolist()
    ramp = c.ramp.tolist()
    build, rlen, life = c.build.tolist(), c.ramp_len.tolist(), c.life.tolist()
    status, psa, comm = c.status.tolist(), c.psa.tolist(), c.commodity.tolist()
    group, front = c.occupied_group.tolist(), set(c.frontline.tolist())
    fpos = {j: i for i, j in enumerate(c.frontline.tolist())}
    total_capex = [sum(row) for row in capex]
    out = []
    for n in range(d.n):
        prices = prices_all[n]
        fx = c.fx0
        free_at = [10**9] * c.liberation_hazard.shape[1]
        start = [10**9] * dd
        restricted = False
        cash = invested = other_cost = pending = 0.0
        reserve = [0.0] * dd
        stake = [0.0] * dd
        contributed = [0.0, 0.0]
        capital = [0.0, 0.0]
        due_prev = 0.0
        for t in range(years):
            if t > 0:
                fx *= math.exp(
                    c.fx_drift
                    - 0.5 * (c.fx_sigma * c.vol_scale) ** 2
                    + c.fx_sigma * c.vol_scale * d.z_fx[n, t]
                )
                for o in range(len(free_at)):
                    if free_at[o] == 10**9 and d.u_liberation[n, t, o] < c.liberation_hazard[t, o]:
                        free_at[o] = t
            counted = 0.0
            op_fcf = [0.0] * dd
            capex_t = [0.0] * dd
            ages = [0] * dd
            for j in range(dd):
                avail = free_at[group[j]] + c.lag if group[j] >= 0 else 0
                if status[j] == 2:
                    start[j] = avail if avail > 0 else 0
                elif (
                    start[j] == 10**9
                    and t >= max(c.start_min[j], avail)
                    and d.u_start[n, t, j] < c.start_p[j]
                ):
                    start[j] = t
                age = t - start[j]
                ages[j] = age
                building = 0 <= age < build[j]
                capex_t[j] = capex[j][min(max(age, 0), len(capex[j]) - 1)] if building else 0.0
                pa = age - build[j]
                rate = 0.0
                if 0 <= pa < life[j]:
                    rate = ramp[j][min(max(pa, 0), len(ramp[j]) - 1)] if pa < rlen[j] else 1.0
                price = prices[t][comm[j]]
                damage = 0.0
                if j in front:
                    f = fpos[j]
                    hit = d.u_damage[n, t, f] < c.p_damage[t] and (building or rate > 0)
                    if hit:
                        base = total_capex[j]
                        full = c.full_output[j] * price
                        damage = c.damage_fraction * (base if base > 0 else full)
                    if d.u_disrupt[n, t, f] < c.p_disrupt[t] or hit:
                        rate = 0.0
                output = rate * c.full_output[j]
                revenue = output * price
                margin = revenue - output * c.opex[j]
                royalty = 0.0 if psa[j] else c.royalty[j] * revenue
                share = c.psa_share[j] * max(margin, 0.0) if psa[j] else 0.0
                fee = c.permit_fee[j] if age == 0 and status[j] == 0 and not psa[j] else 0.0
                bonus = c.signing_bonus[j] if age == 0 and status[j] == 0 and psa[j] else 0.0
                take = royalty + share
                op_fcf[j] = margin - take - c.cit * max(margin - take, 0.0) - damage
                issued = start[j] if status[j] == 0 else int(c.issued_index[j])
                new = issued >= c.first_new_index[t] or (c.reading[t] == 1 and status[j] != 2)
                if new and c.annex[t, j]:
                    cnt = c.item_counts[t]
                    counted += royalty * cnt[0] + fee * cnt[2] + share * cnt[3] + bonus * cnt[4]
            s = c.permits_sigma * c.vol_scale
            auction = c.permits_auction[t] * math.exp(s * d.z_permits[n, t, 0] - 0.5 * s * s)
            rent = c.permits_royalty[t] * math.exp(s * d.z_permits[n, t, 1] - 0.5 * s * s)
            if t >= c.first_new_index[t]:
                counted += auction * c.item_counts[t][2] + rent * c.item_counts[t][0]
            due = counted * c.revenue_share[t]
            u = d.u_conversion[n, t]
            restricted = (u >= c.conv_end) if restricted else (u < c.conv_start)
            restricted = restricted or bool(c.conv_forced[t])
            if t > 0:
                pending += due_prev
            transfer = 0.0 if restricted else pending
            pending -= transfer
            sig = c.in_kind_sigma * c.vol_scale
            aid = 0.0
            if d.u_in_kind[n, t] < c.in_kind_p:
                aid = c.in_kind_mean[t] * math.exp(sig * d.z_in_kind[n, t] - 0.5 * sig * sig)
            in_kind = aid if c.in_kind_ok[t] else 0.0
            extra = (c.ua_extra_uah[t] if d.u_extra[n, t] < c.ua_extra_p else 0.0) / fx
            us_in = c.us_cash[t]
            ua_in = c.ua_cash[t] + extra + c.ua_multiple[t] * (us_in + in_kind) + transfer
            nav_start = cash + invested + other_cost
            cash += us_in + ua_in
            contrib = (us_in + in_kind, ua_in)
            for p in (0, 1):
                contributed[p] += contrib[p]
                capital[p] += contrib[p]
            for j in range(dd):
                if start[j] == t and c.invest[j] and c.sector_ok[t, j]:
                    want = c.equity_share[j] * total_capex[j]
                    if want > 0:
                        room = max(cash - sum(reserve), 0.0)
                        commit = min(want, room * c.max_cash_fraction)
                        stake[j] = commit / total_capex[j]
                        reserve[j] += commit
            for j in range(dd):
                call = stake[j] * capex_t[j]
                cash -= call
                invested += call
                reserve[j] = max(reserve[j] - call, 0.0)
                if ages[j] >= build[j] - 1:
                    reserve[j] = 0.0
            pool = c.other_share * max(cash - sum(reserve), 0.0)
            cash -= pool
            income = sum(stake[j] * max(op_fcf[j], 0.0) for j in range(dd))
            y = max(c.other_mean + c.other_sd * c.vol_scale * d.z_other[n, t], 0.0)
            other_income = other_cost * y
            other_cost += pool
            cash += income + other_income
            expense = min(c.fee_rate * nav_start, max(cash, 0.0))
            cash -= expense
            net = income + other_income - expense
            w = sum(max(x, 0.0) for x in contributed)
            for p in (0, 1):
                capital[p] += net * (max(contributed[p], 0.0) / w if w > 0 else 0.5)
            if c.lock_open[t] and c.payout > 0 and d.u_agree[n, t] < c.agree_p:
                dist = c.payout * max(cash - sum(reserve), 0.0)
                wc = sum(max(x, 0.0) for x in capital)
                for p in (0, 1):
                    capital[p] -= dist * (max(capital[p], 0.0) / wc if wc > 0 else 0.5)
                cash -= dist
            due_prev = due
        out.append(cash + invested + other_cost)
    return out


def main() -> None:
    """Run every figure of this benchmark."""
    quick = "--quick" in sys.argv
    scale = 10 if quick else 1
    spec = load_scenario()
    ts = load_termset(spec.terms)
    compiled = compile_model(spec, [ts.at(dt.date(y, 12, 31)) for y in spec.years])
    machine = "2 cores, 24 GiB, no GPU"

    # 2. scalar baseline on 1,000 paths, same draws, checked against the engine
    n_scalar = 1000 // scale
    draws = draw_blocks(compiled, block_seeds(np.random.default_rng(1), n_scalar))
    start = time.perf_counter()
    vector_nav = evolve(compiled, draws).series["fund_nav"][:, -1]
    vector_s = time.perf_counter() - start
    start = time.perf_counter()
    scalar_nav = scalar_nav_end(compiled, draws)
    scalar_s = time.perf_counter() - start
    np.testing.assert_allclose(scalar_nav, vector_nav, rtol=1e-9)

    # 1. 100,000 paths on the local executor with 2 workers
    paths = 100_000 // scale
    local = make_executor("local", workers=2)
    start = time.perf_counter()
    result = simulate(compiled, paths, np.random.default_rng(1), executor=local)
    local_s = time.perf_counter() - start
    per_path_vector = local_s / paths
    per_path_scalar = scalar_s / n_scalar
    emit(
        figure="simulate_local_2_workers",
        paths=paths,
        years=compiled.n_years,
        deposits=len(compiled.deposits),
        seconds=round(local_s, 3),
        target_seconds=10,
        paths_per_second=round(paths / local_s),
        machine=machine,
    )
    emit(
        figure="scalar_python_loop_baseline",
        paths=n_scalar,
        seconds=round(scalar_s, 3),
        per_path_ms=round(per_path_scalar * 1e3, 3),
        vector_per_path_ms=round(per_path_vector * 1e3, 4),
        vector_single_process_per_path_ms=round(vector_s / n_scalar * 1e3, 4),
        ratio=round(per_path_scalar / per_path_vector, 1),
        target_ratio=200,
        same_fund_nav=True,
    )
    headline = summarise(result)["partners"]["dfc"]["npv_with_terminal_capital_usd"]["mean"]

    # 4. dask and ray on local 2-worker clusters: same numbers, throughput
    for name in ("dask", "ray"):
        n = (40 // scale) * BLOCK
        try:
            start = time.perf_counter()
            other = simulate(
                compiled, n, np.random.default_rng(1), executor=make_executor(name, workers=2)
            )
            seconds = time.perf_counter() - start
        except Exception as error:  # report, do not hide
            emit(figure=f"simulate_{name}", error=str(error))
            continue
        same = all(
            np.array_equal(other.scalars[key], result.scalars[key][:n], equal_nan=True)
            for key in result.scalars
        )
        emit(
            figure=f"simulate_{name}_2_workers",
            paths=n,
            seconds=round(seconds, 3),
            paths_per_second=round(n / seconds),
            same_numbers_as_local=same,
            baseline_local_paths_per_second=round(paths / local_s),
            ratio=round((n / seconds) / (paths / local_s), 3),
        )
    del result

    # 3. 1,000,000 paths with bounded memory
    big = 1_000_000 // scale
    start = time.perf_counter()
    res = simulate(compiled, big, np.random.default_rng(1), executor=local)
    summary = summarise(res)
    seconds = time.perf_counter() - start
    emit(
        figure="simulate_1m_paths_memory",
        paths=big,
        seconds=round(seconds, 3),
        peak_rss_gib=round(rss_gib(), 3),
        target_rss_gib=4,
        npv_dfc_mean_100k=headline,
        npv_dfc_mean=summary["partners"]["dfc"]["npv_with_terminal_capital_usd"]["mean"],
        baseline_seconds_100k=round(local_s, 3),
        ratio=round(seconds / local_s, 2),
    )


if __name__ == "__main__":
    main()
