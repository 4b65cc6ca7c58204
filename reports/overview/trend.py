"""The weeks or months of a period, for the trend charts (labels and each bucket's first and last day)."""

import datetime


def first_day(day, *, weekly):
    """The first day of ``day``'s bucket: its week's Monday (as TruncWeek), or its month's first day."""
    return day - datetime.timedelta(days=day.weekday()) if weekly else day.replace(day=1)


def buckets(start, end, *, weekly):
    """(label, the bucket's first day as the database truncates it, its first and last day within the period)."""
    result = []
    if weekly:
        first = first_day(start, weekly=True)
        while first <= end:
            last = first + datetime.timedelta(days=6)
            result.append((f"{max(first, start):%m-%d}", first, max(first, start), min(last, end)))
            first = last + datetime.timedelta(days=1)
        return result
    first = first_day(start, weekly=False)
    while first <= end:
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        result.append((f"{first:%Y-%m}", first, max(first, start), min(last, end)))
        first = following
    return result
