"""Which foreign key ties an admin inline's rows to the parent object (public ``_meta`` API only)."""

from django.core.exceptions import ImproperlyConfigured
from django.db import models


def inline_foreign_key(parent_model, inline):
    """The inline model's ForeignKey to ``parent_model`` (or to a model it subclasses: proxies).

    ``inline.fk_name`` decides when set, as in Django's inline formsets; otherwise there must be
    exactly one such key.
    """
    opts = inline.model._meta
    if inline.fk_name:
        return opts.get_field(inline.fk_name)
    keys = [
        f for f in opts.get_fields() if isinstance(f, models.ForeignKey) and issubclass(parent_model, f.related_model)
    ]
    if len(keys) != 1:
        raise ImproperlyConfigured(
            f"{inline.model.__name__} 与 {parent_model.__name__} 之间需要恰好一个外键（或设置 fk_name）。"
        )
    return keys[0]
