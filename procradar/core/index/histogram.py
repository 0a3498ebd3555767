"""Counts per day folded into years, months, ISO weeks or days, gaps filled with zeros."""

from __future__ import annotations

from datetime import date, timedelta


def period(day: date, interval: str) -> str:
    if interval == "year":
        return f"{day.year:04d}"
    if interval == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if interval == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


def _start(day: date, interval: str) -> date:
    if interval == "year":
        return date(day.year, 1, 1)
    if interval == "month":
        return date(day.year, day.month, 1)
    if interval == "week":
        return day - timedelta(days=day.weekday())
    return day


def _step(start: date, interval: str) -> date:
    if interval == "year":
        return date(start.year + 1, 1, 1)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=7 if interval == "week" else 1)


def _parse(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


#: Periods that are a prefix of the ISO date: cut, not formatted (a trends page folds
#: thousands of days per series).
PREFIX = {"year": 4, "month": 7, "day": 10}


def fold(per_day: list[tuple[str, int]], interval: str) -> list[tuple[str, int]]:
    days = [(d, s, n) for s, n in per_day if (d := _parse(s)) is not None]
    if not days:
        return []
    counts: dict[str, int] = {}
    width = PREFIX.get(interval)
    for day, text, n in days:
        key = text[:width] if width else period(day, interval)
        counts[key] = counts.get(key, 0) + n
    out: list[tuple[str, int]] = []
    cursor, last = _start(min(d for d, _, _ in days), interval), max(d for d, _, _ in days)
    while cursor <= last:
        key = period(cursor, interval)
        out.append((key, counts.get(key, 0)))
        cursor = _step(cursor, interval)
    return out
