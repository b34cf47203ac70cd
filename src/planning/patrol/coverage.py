"""Which coverage targets a set of routes meets, and why the others are short."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planning.patrol.model import CoverageTarget, Route, Shortfall, Site

__all__ = ["assess", "default_targets", "hhmm"]


def hhmm(minute: int) -> str:
    """``605`` -> ``"10:05"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def default_targets(
    sites: Mapping[str, Site], routes: Mapping[str, Route]
) -> tuple[CoverageTarget, ...]:
    """Without explicit targets: every window of every patrolled site, best effort."""
    patrolled = dict.fromkeys(s for r in routes.values() for s in r.sites())
    return tuple(
        CoverageTarget(site_id=s, window_label=w.label, required=False)
        for s in patrolled
        if s in sites
        for w in sites[s].windows
    )


def assess(
    *,
    routes: Mapping[str, Route],
    sites: Mapping[str, Site],
    targets: Sequence[CoverageTarget],
) -> tuple[tuple[Shortfall, ...], int, int]:
    """``(shortfalls, targeted, covered)`` of ``routes`` against ``targets``.

    A window target is met by a visit carrying its label; a target without a
    label by any visit to the site. Duplicate targets count once.
    """
    goals = targets or default_targets(sites, routes)
    unique: dict[tuple[str, str | None], bool] = {}
    for t in goals:
        key = (t.site_id, t.window_label)
        unique[key] = unique.get(key, False) or t.required
    done: set[tuple[str, str | None]] = set()
    for r in routes.values():
        for v in r.visits:
            done.add((v.site_id, v.window_label))
            done.add((v.site_id, None))
    short = tuple(
        Shortfall(
            site_id=s, window_label=label, reason=_reason(s, label, routes, sites), required=req
        )
        for (s, label), req in unique.items()
        if (s, label) not in done
    )
    return short, len(unique), len(unique) - len(short)


def _reason(
    site_id: str, label: str | None, routes: Mapping[str, Route], sites: Mapping[str, Site]
) -> str:
    site = sites.get(site_id)
    if site is None:
        return f"unknown site {site_id!r}"
    mine = [r for r in routes.values() if site_id in r.sites()]
    if not mine:
        return "no officer on shift patrols this site"
    if label is None:
        return "no officer could fit a visit within the shift"
    window = site.window(label)
    if window is None:
        return f"the site has no {label!r} window today"
    start, end = window.start, window.latest_arrival(site.service)
    span = f"{hhmm(window.start)}-{hhmm(window.end)}"
    on_shift = [r for r in mine if r.shift_start <= end and start + site.service <= r.shift_end]
    if not on_shift:
        return f"window {span} is outside the shift of every officer patrolling it"
    busy = [
        f"{r.officer_id} at {v.site_id} {hhmm(v.arrive)}-{hhmm(v.depart)}"
        for r in on_shift
        for v in r.visits
        if v.arrive < window.end and v.depart > window.start
    ]
    if busy:
        return f"window {span} overlaps other visits: " + "; ".join(busy)
    return f"window {span} cannot be reached in time from the officer's other visits"
