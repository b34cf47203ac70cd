"""``report.html``: one self-contained page (no network, no tiles).

The zone map is inline SVG drawn from the coordinates (equirectangular
projection about the district's mean latitude); the staffing curve is a
matplotlib figure embedded as a base64 PNG; the per-zone table follows.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from planning.equity import EquityPoint
from planning.io.outputs import PlanOutputs, summary_dict, zone_polygons
from planning.staffing import StaffingPoint

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "equity_chart_png",
    "render_report",
    "staffing_chart",
    "staffing_chart_png",
    "write_report",
]

_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
    "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
)  # fmt: skip


def staffing_chart(
    *,
    officers: Sequence[int],
    mean_minutes: Sequence[float],
    percentile_minutes: Sequence[float],
    utilisation: Sequence[float],
    target_minutes: float | None,
    percentile: float,
    fmt: str = "png",
    labels: dict[str, str] | None = None,
) -> bytes:
    """Predicted mean / percentile response and utilisation against officers, as PNG or SVG.

    ``labels`` replaces the English texts (keys: mean, percentile, target, officers, minutes,
    utilisation), e.g. with translated ones.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - 2 s to import
    from matplotlib.figure import Figure  # noqa: PLC0415 - 2 s to import

    text = {
        "mean": "mean response",
        "percentile": f"p{percentile:g} response",
        "target": f"target {target_minutes:g} min" if target_minutes is not None else "",
        "officers": "officers",
        "minutes": "minutes",
        "utilisation": "officer utilisation",
    } | (labels or {})
    fig = Figure(figsize=(7.0, 3.6), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(officers, mean_minutes, "o-", label=text["mean"])
    ax.plot(officers, percentile_minutes, "s-", label=text["percentile"])
    if target_minutes is not None:
        ax.axhline(target_minutes, color="k", ls="--", lw=1, label=text["target"])
    ax.set_xlabel(text["officers"])
    ax.set_ylabel(text["minutes"])
    ax2 = ax.twinx()
    ax2.plot(officers, utilisation, "^:", color="grey", label=text["utilisation"])
    ax2.set_ylabel(text["utilisation"])
    ax2.set_ylim(0, max(0.05, max(utilisation, default=0.0) * 1.3))
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=8, loc="upper right")
    ax.grid(alpha=0.3)
    return _png(fig) if fmt == "png" else _svg(fig)


def staffing_chart_png(
    points: Sequence[StaffingPoint], *, target_minutes: float | None, percentile: float
) -> bytes:
    """PNG of predicted mean / percentile response and utilisation against officers."""
    return staffing_chart(
        officers=[p.officers for p in points],
        mean_minutes=[p.mean_minutes for p in points],
        percentile_minutes=[p.percentile_minutes for p in points],
        utilisation=[p.utilisation for p in points],
        target_minutes=target_minutes,
        percentile=percentile,
    )


def _svg(fig: Figure) -> bytes:
    from matplotlib import rc_context  # noqa: PLC0415 - 2 s to import

    fig.tight_layout()
    buf = io.BytesIO()
    with rc_context({"svg.fonttype": "none"}):  # text stays text: small and readable
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _png(fig: Figure) -> bytes:
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def equity_chart_png(points: Sequence[EquityPoint]) -> bytes:
    """PNG of the worst-served school's minutes against the call-weighted mean, one point
    per equity blend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - 2 s to import
    from matplotlib.figure import Figure  # noqa: PLC0415 - 2 s to import

    fig = Figure(figsize=(7.0, 3.6), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = [p.call_weighted_minutes for p in points]
    ax.plot(xs, [p.worst_school_minutes for p in points], "o-", label="worst-served school")
    ax.plot(xs, [p.p90_minutes for p in points], "s--", label="90th percentile of schools")
    ax.plot(xs, [p.school_mean_minutes for p in points], "^:", label="mean over schools")
    for p in points:
        ax.annotate(f"equity {p.equity:g}", (p.call_weighted_minutes, p.worst_school_minutes),
                    textcoords="offset points", xytext=(4, 4), fontsize=8)  # fmt: skip
    ax.set_xlabel("call-weighted mean minutes from the post")
    ax.set_ylabel("minutes from the post")
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3)
    return _png(fig)


def _equity_section(out: PlanOutputs) -> str:
    if not out.equity_curve:
        return ""
    names = {s.id: s.name for s in out.schools}
    e = html.escape
    rows = "".join(
        f"<tr><td>{p.equity:g}</td><td>{p.call_weighted_minutes:.2f}</td>"
        f"<td>{p.school_mean_minutes:.2f}</td><td>{p.p90_minutes:.1f}</td>"
        f"<td>{e(names.get(p.worst_school_id, p.worst_school_id))}</td>"
        f"<td>{p.worst_school_minutes:.1f}</td></tr>"
        for p in out.equity_curve
    )
    png = base64.b64encode(equity_chart_png(out.equity_curve)).decode("ascii")
    return (
        f"<h2>Mean against worst-served school ({out.plan.officers} officers)</h2>"
        "<p>Each point plans the same officers with the objective weighing calls (equity 0) "
        "or schools (equity 1) or a blend: moving right costs the average call minutes, "
        "moving down brings the farthest school closer.</p>"
        f'<img alt="worst-served school against call-weighted mean" '
        f'src="data:image/png;base64,{png}"/>'
        "<table><thead><tr><th>equity</th><th>call-weighted mean min</th>"
        "<th>school mean min</th><th>p90 of schools min</th><th>worst-served school</th>"
        f"<th>its minutes</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _cost_table(rows: Sequence[dict[str, object]]) -> str:
    def dollars(value: object) -> str:
        return "" if value is None else f"${value:,.0f}"

    body = "".join(
        f"<tr><td>{r['officers']}</td><td>{r['p90_minutes']}</td><td>{dollars(r['total'])}</td>"
        f"<td>{dollars(r['per_minute_of_p90_saved'])}</td></tr>"
        for r in rows
    )
    return (
        "<h3>Cost per minute of p90 response saved</h3><table><thead><tr><th>officers</th>"
        "<th>p90 min</th><th>annual cost</th><th>added $ per minute of p90 saved (vs one "
        f"officer fewer)</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _map_svg(out: PlanOutputs, width: int = 760) -> str:
    schools = out.schools
    lat = np.array([s.lat for s in schools])
    lon = np.array([s.lon for s in schools])
    kx = math.cos(math.radians(float(lat.mean())))
    rings = zone_polygons(out.plan, schools)
    all_x = np.concatenate([lon * kx] + [np.array([c[0] for c in r]) * kx for r in rings.values()])
    all_y = np.concatenate([lat] + [np.array([c[1] for c in r]) for r in rings.values()])
    x0, x1 = float(all_x.min()), float(all_x.max())
    y0, y1 = float(all_y.min()), float(all_y.max())
    span = max(x1 - x0, y1 - y0, 1e-6)
    pad = 10.0
    scale = (width - 2 * pad) / span
    height = int((y1 - y0) * scale + 2 * pad)

    def xy(lo: float, la: float) -> tuple[float, float]:
        return pad + (lo * kx - x0) * scale, pad + (y1 - la) * scale

    color = {z.id: _PALETTE[i % len(_PALETTE)] for i, z in enumerate(out.plan.zones)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="zone map">'
        f'<rect width="100%" height="100%" fill="#fbfbf8"/>'
    ]
    for z in out.plan.zones:
        pts = " ".join("{:.1f},{:.1f}".format(*xy(c[0], c[1])) for c in rings[z.id])
        parts.append(
            f'<polygon points="{pts}" fill="{color[z.id]}" fill-opacity="0.18" '
            f'stroke="{color[z.id]}" stroke-width="1"><title>{html.escape(z.id)} '
            f"{html.escape(z.area or '')}</title></polygon>"
        )
    zone_of = out.plan.zone_of()
    posts = {z.post_id for z in out.plan.zones}
    for s in schools:
        x, y = xy(s.lon, s.lat)
        c = color[zone_of[s.id]]
        title = html.escape(f"{s.name} ({zone_of[s.id]})")
        if s.id in posts:
            parts.append(
                f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{c}" '
                f'stroke="#000" stroke-width="1"><title>post: {title}</title></rect>'
            )
        else:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{c}">'
                f"<title>{title}</title></circle>"
            )
    by_id = {s.id: s for s in schools}
    for z in out.plan.zones:
        p = by_id[z.post_id]
        x, y = xy(p.lon, p.lat)
        parts.append(
            f'<text x="{x + 5:.1f}" y="{y - 5:.1f}" font-size="9" font-family="sans-serif">'
            f"{html.escape(z.id)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_report(out: PlanOutputs) -> str:
    """The HTML text of ``report.html``."""
    data = summary_dict(out)
    plan = out.plan
    by_id = {s.id: s for s in out.schools}
    e = html.escape
    resp = data["response"]
    kind = "aligned with high schools" if plan.aligned else "unaligned"
    head = (
        f"<p><b>{plan.officers}</b> officers ({kind}), "
        f"{len(out.schools)} schools, {data['calls_per_day']} expected calls per day. "
        f"Objective {plan.objective:.3f} min (call-weighted mean from posts), lower bound "
        f"{plan.lower_bound:.3f}, gap on travel time {100 * plan.gap:.3f}%, "
        f"solver {e(plan.solver)}, "
        f"{plan.seconds:.2f} s. Feasible officers: "
        f"{plan.minimum_officers}-{plan.maximum_officers}.</p>"
    )
    if resp is not None:
        head += (
            f"<p>Predicted response ({e(resp['method'])}): mean {resp['mean']} min, "
            f"p90 {resp['p90']} min, officer utilisation {resp['utilisation']}, "
            f"P(all busy) {resp['p_all_busy']}.</p>"
        )
    if plan.school_travel is not None:
        st = plan.school_travel
        worst = by_id[st.worst_school_id].name
        head += (
            f"<p>Worst-served school: {e(worst)}, {st.worst_school_minutes:.1f} min from its "
            f"post; schools' spread (10th-90th percentile) {st.p10_minutes:.1f}-"
            f"{st.p90_minutes:.1f} min; mean over schools {st.school_mean_minutes:.2f} min.</p>"
        )
    cost = data["annual_cost"]
    head += (
        f"<p>Annual cost: ${cost['total']:,.0f} (officers ${cost['officers']:,.0f}, vehicles "
        f"${cost['vehicles']:,.0f}, Safety Administrators ${cost['safety_administrators']:,.0f})."
        "</p>"
    )
    if "target" in data:
        head += f"<p><b>{e(data['target']['answer'])}</b></p>"
    if plan.merges:
        items = "".join(
            f"<li>{e(m.area)} ({m.schools} school{'s' if m.schools != 1 else ''}) "
            f"merged into {e(m.into)} ({e(m.reason)})</li>"
            for m in plan.merges
        )
        head += f"<h3>Area merges</h3><ul>{items}</ul>"
    chart = ""
    if out.staffing:
        png = staffing_chart_png(
            out.staffing, target_minutes=out.target_minutes, percentile=out.percentile
        )
        chart = (
            '<h2>Staffing curve</h2><img alt="staffing curve" src="data:image/png;base64,'
            + base64.b64encode(png).decode("ascii")
            + '"/>'
            + _cost_table(data["cost_by_officers"])
        )
    rows = []
    for z in data["zones"]:
        names = ", ".join(e(by_id[s].name) for s in z["school_ids"])
        rows.append(
            f"<tr><td>{e(z['id'])}</td><td>{e(z['high_school'] or '')}</td>"
            f"<td>{len(z['school_ids'])}</td><td>{e(z['post_name'])}</td>"
            f"<td>{z['calls_per_day']}</td><td>{z['max_travel_minutes']}</td>"
            f"<td>{'' if z['mean_response_minutes'] is None else z['mean_response_minutes']}</td>"
            f"<td>{'yes' if z['dedicated'] else ''}</td><td>{names}</td></tr>"
        )
    table = (
        "<h2>Zones</h2><table><thead><tr><th>zone</th><th>high school</th><th>schools</th>"
        "<th>post</th><th>calls/day</th><th>max travel min</th><th>mean response min</th>"
        "<th>dedicated</th><th>school names</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    style = (
        "body{font-family:sans-serif;margin:1.5em;max-width:1100px}"
        "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;"
        "padding:2px 5px;vertical-align:top}th{background:#eee}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>'
        f"<title>SSO zone plan: {plan.officers} officers</title><style>{style}</style></head>"
        f"<body><h1>SSO zone plan</h1>{head}<h2>Zone map</h2>{_map_svg(out)}"
        f"{chart}{_equity_section(out)}{table}</body></html>\n"
    )


def write_report(path: Path, out: PlanOutputs) -> None:
    """Write ``report.html``."""
    path.write_text(render_report(out), encoding="utf-8")
