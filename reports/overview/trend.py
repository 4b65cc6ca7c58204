"""The weeks or months of a period, for the trend charts (labels and each bucket's first and last day)."""

import datetime


def buckets(start, end, *, weekly):
    """(label, the bucket's first day as the database truncates it, its first and last day within the period)."""
    result = []
    if weekly:
        first = start - datetime.timedelta(days=start.weekday())  # Monday, as TruncWeek
        while first <= end:
            last = first + datetime.timedelta(days=6)
            result.append((f"{max(first, start):%m-%d}", first, max(first, start), min(last, end)))
            first = last + datetime.timedelta(days=1)
        return result
    first = start.replace(day=1)
    while first <= end:
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        result.append((f"{first:%Y-%m}", first, max(first, start), min(last, end)))
        first = following
    return result
