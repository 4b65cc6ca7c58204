"""The rows of an admin change list as Django renders them, with the per-page work done once.

Under load a fifth of the workers' time went to Django's ``items_for_result`` (issue 15). Per cell it
asks the admin for its empty value, works out the column's CSS class, escapes through ``format_html``;
per row it reverses the change URL and re-parses the preserved filters into it. Here what depends only
on the column or on the page is computed once: the change URL comes from one reversed pattern with
the row's key put in. Each cell still goes through the admin's own ``lookup_field``,
``display_for_field`` and ``display_for_value``, so the HTML is Django's, byte for byte
(tests/core/test_admin_rows.py renders every list both ways). A popup list or an editable list
(``list_editable``) falls back to Django's own rows.
"""

import datetime
from dataclasses import dataclass

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields, results
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value, lookup_field, quote
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()

KEY_MARK = "SZROWKEY"  # stands for the row's key in the reversed change URL (admin quoting keeps it as is)


@dataclass
class Column:
    name: object  # a field name, an admin method's name, or a callable
    css: str  # "field-<name>"
    link: bool  # the cell links to the row's change page
    empty: str  # the admin's empty value
    choices: dict = None  # the column's field's choices as a dict, once known ({} when it has none)
    # How the column reads a row, learnt from its first row (``lookup_field`` answers the same for
    # every row of a model): FIELD (a model field), METHOD (a callable or the admin's method) or
    # LOOKUP (anything else: ``lookup_field`` itself on every row); None until learnt.
    kind: str = None
    field: object = None
    method: object = None
    boolean: bool = False
    classes: str = ""  # the cell's class attribute when it does not depend on the value


FIELD, METHOD, LOOKUP = "field", "method", "lookup"


def _css_name(field_name, index):
    if callable(field_name):
        return field_name.__name__ if field_name.__name__ != "<lambda>" else f"lambda{index}"
    return field_name


def columns(cl):
    empty = cl.model_admin.get_empty_value_display()
    links = cl.list_display_links
    plan = []
    for index, name in enumerate(cl.list_display):
        if links is None:
            link = False
        elif not links:
            link = not any(column.link for column in plan)  # the first column links
        else:
            link = name in links
        plan.append(Column(name, f"field-{_css_name(name, index)}", link, empty))
    return plan


def change_url_parts(cl):
    """(start, end) of the escaped change URL around the row's key, or None when there is no change page."""
    try:
        url = cl.url_for_result(_Keyed(cl.lookup_opts.pk.attname))
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    start, mark, end = url.partition(KEY_MARK)
    return (escape(start), escape(end)) if mark else None


class _Keyed:
    """Stands in for a row when reversing the change URL once: its key is the mark."""

    def __init__(self, attname):
        setattr(self, attname, KEY_MARK)


def _learn(cl, column, f, attr):
    """Remember how ``lookup_field`` read this column, when that holds for every row."""
    if f is not None and not f.auto_created:
        column.kind, column.field = FIELD, f
        classes = [column.css]
        if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
            classes.append("nowrap")
        column.classes = " ".join(classes)
    elif callable(column.name) or (hasattr(cl.model_admin, column.name) and column.name != "__str__"):
        column.kind, column.method = METHOD, attr
        column.empty = getattr(attr, "empty_value_display", column.empty)
        column.boolean = getattr(attr, "boolean", False)
        column.classes = "action-checkbox" if column.name == "action_checkbox" else column.css
    else:
        column.kind = LOOKUP


def cell_repr(cl, column, result):
    """(the cell's HTML before any link, its class attribute): ``items_for_result``'s display rules."""
    if column.kind == FIELD:
        try:
            value = getattr(result, column.name)
        except ObjectDoesNotExist:
            return column.empty, column.classes
        return _field_display(column, column.field, value, result), column.classes
    if column.kind == METHOD:
        try:
            value = column.method(result)
        except ObjectDoesNotExist:
            return column.empty, column.classes
        if isinstance(value, str) and value.strip() == "":
            value = ""
        classes = column.classes
        if isinstance(value, (datetime.date, datetime.time)):
            classes += " nowrap"
        return display_for_value(value, column.empty, column.boolean), classes
    return _looked_up(cl, column, result)


def _looked_up(cl, column, result):
    """A cell through the admin's own ``lookup_field`` (the first row of a column, or an odd column)."""
    classes = [column.css]
    empty = column.empty
    try:
        f, attr, value = lookup_field(column.name, result, cl.model_admin)
    except ObjectDoesNotExist:
        return empty, column.css
    if column.kind is None:
        _learn(cl, column, f, attr)
    empty = getattr(attr, "empty_value_display", empty)
    if f is None or f.auto_created:
        if column.name == "action_checkbox":
            classes = ["action-checkbox"]
        if isinstance(value, str) and value.strip() == "":
            value = ""
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        if isinstance(value, (datetime.date, datetime.time)):
            classes.append("nowrap")
        return display_for_value(value, empty, boolean), " ".join(classes)
    if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
        classes.append("nowrap")
    return _field_display(column, f, value, result, empty), " ".join(classes)


def _field_display(column, f, value, result, empty=None):
    empty = column.empty if empty is None else empty
    if isinstance(f.remote_field, models.ManyToOneRel):
        field_val = getattr(result, f.name)
        return empty if field_val is None else field_val
    if isinstance(value, str) and value.strip() == "":
        value = ""
    return _display(column, value, f, empty)


def _display(column, value, f, empty):
    """``display_for_field``, with the field's choices made a dict once per page, not once per cell."""
    if column.choices is None:
        try:
            column.choices = dict(f.flatchoices or ())
        except TypeError:  # list-like choices: Django's own path
            column.choices = {}
    if column.choices:
        try:
            return column.choices.get(value, empty)
        except TypeError:  # an unhashable value: Django's own path
            pass
    return display_for_field(value, f, empty, avoid_link=column.link)


def row_html(cl, result, plan, url_parts):
    """The row's cells as one string: the template then writes one item per row, not one per cell."""
    cells = []
    first = True
    for column in plan:
        shown, classes = cell_repr(cl, column, result)
        if column.link:
            tag = "th" if first else "td"
            first = False
            if url_parts is None:
                inner = conditional_escape(shown)
            else:
                start, end = url_parts
                inner = f'<a href="{start}{escape(quote(result.pk))}{end}">{conditional_escape(shown)}</a>'
            cells.append(f'<{tag} class="{classes}">{inner}</{tag}>')
        else:
            cells.append(f'<td class="{classes}">{conditional_escape(shown)}</td>')
    return mark_safe("".join(cells))


class Row(list):
    """What admin/change_list_results.html iterates (Django's ``ResultList`` without a form)."""

    form = None


def fast_results(cl):
    if cl.formset or cl.is_popup or cl.to_field:
        return list(results(cl))
    plan = columns(cl)
    url_parts = change_url_parts(cl)
    return [Row([row_html(cl, result, plan, url_parts)]) for result in cl.result_list]


@register.inclusion_tag("admin/change_list_results.html")
def sz_result_list(cl):
    """``{% result_list cl %}`` with the rows of ``fast_results``."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": fast_results(cl),
    }
