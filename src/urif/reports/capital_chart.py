"""Partners' capital by kind as a PNG bar chart (matplotlib, Agg backend).

Owns ``capital_png``: one stacked bar per partner (contributed cash, in kind, agreed
revenue, income allocated, less distributions), the chart the demo writes beside the
statements.  Decimal amounts are converted to floats here, only to draw.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from urif.ledger import AccountsView

#: (field of ``CapitalAccount``, legend, colour), bottom to top.
KINDS = (
    ("contributed_cash", "cash", "#1f5fa8"),
    ("contributed_in_kind", "in kind", "#6a9fd8"),
    ("contributed_agreed_revenue", "agreed revenue", "#f2b705"),
    ("income_allocated", "income allocated", "#3c9a5f"),
)


def capital_png(view: AccountsView) -> bytes:
    """Stacked bars of each partner's capital by kind, in USD millions."""
    partners = [p for p in view.partners if p.contributed_total or p.capital]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    names = [p.partner for p in partners]
    bottoms = [0.0] * len(partners)
    for key, label, colour in KINDS:
        values = [float(getattr(p, key)) / 1e6 for p in partners]
        ax.bar(names, values, bottom=bottoms, label=label, color=colour)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    distributions = [-float(p.distributions) / 1e6 for p in partners]
    if any(distributions):
        ax.bar(names, distributions, label="distributions", color="#c0392b")
    ax.set_title(f"Partners' capital by kind as of {view.as_of} ({view.currency})")
    ax.set_ylabel("USD m")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
