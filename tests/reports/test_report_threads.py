"""The county summary and the unit page give the same figures counted in threads (core.parallel) as
one after another. A transactional test: only then do the pages run their parts in threads."""

import threading

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import parallel
from tests.reports.overview_data import PERIOD, populate


def county_figures(client):
    response = client.get(reverse("reports:county"), PERIOD)
    assert response.status_code == 200
    return [[(row["name"], dict(row["row"].counts)) for row in t["rows"]] for t in response.context["tables"]]


def overview_figures(client):
    response = client.get(reverse("reports:overview"), PERIOD)
    assert response.status_code == 200
    panels = response.context["panels"]
    return [
        (panel.key, [[cell.value for cell in row.cells] for _, table in panel.blocks if table for row in table.rows])
        for panel in panels
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", ["county", "township"])
def test_threads_give_the_figures_of_one_after_another(client, cast, settings, monkeypatch, role):
    started = []

    class Counted(threading.Thread):
        def start(self):
            started.append(self)
            super().start()

    monkeypatch.setattr(parallel.threading, "Thread", Counted)
    populate(cast)
    client.force_login(cast.users[role])
    settings.REPORT_THREADS = 1
    alone = county_figures(client), overview_figures(client)
    assert started == []
    cache.clear()  # the unit page keeps its figures: count them again
    settings.REPORT_THREADS = 2
    threaded = county_figures(client), overview_figures(client)
    assert len(started) == 4  # two for each page
    assert threaded == alone
    assert any(counts for table in alone[0] for _, counts in table)
