"""A paginator whose total is counted once a minute per query, for lists over very large tables."""

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class CachedCountPaginator(Paginator):
    """Counts a list's rows once per ``timeout`` seconds for the same query.

    The county's visit list counts a million rows on every page (0.6 s of a 0.7 s page, issue 15),
    though the total barely moves while someone pages through it. The rows themselves are always
    read fresh; only the total shown above them may lag by up to a minute. The cache key is the
    query's SQL with its parameters, so it holds the user's scope and filters: no user ever reads
    another scope's total.
    """

    timeout = 60

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:
            return 0
        key = "list-count:" + hashlib.sha256(f"{sql}\x00{params!r}".encode()).hexdigest()
        total = cache.get(key)
        if total is None:
            total = self.object_list.count()
            cache.set(key, total, self.timeout)
        return total

    def page(self, number):
        """A full page of fresh rows, even when the cached total is behind (Django cuts at the total)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], number, self)


class ShortListPaginator(Paginator):
    """A first page that is not full is the whole list: its length is the total, and no count runs.

    A 邻长's phone lists are one short page nearly always; counting them runs a second copy of the
    list's query, subqueries and all (a fifth of the due list's time, issue 15). Any other page, or a
    full first page, is paginated as usual.
    """

    def get_page(self, number):
        if number in (None, "", 1, "1"):
            rows = list(self.object_list[: self.per_page])
            if len(rows) < self.per_page:
                self.__dict__["count"] = len(rows)  # Paginator.count is a cached_property: this is its value
            return Page(rows, 1, self)  # a full first page: the total is counted when asked for
        return super().get_page(number)
