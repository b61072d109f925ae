"""Model instances built without `Model.__init__`, for the hot paths that build many per request.

Django's `Model(**values)` walks every field, looks each up in the keyword arguments, sends the
`pre_init` and `post_init` signals and sets a related object through its descriptor (which asks
the database router whether the relation is allowed). For the ten or so unsaved rows a checkout
builds that was about a tenth of its Python time (issue 4's benchmark). `model_build` sets the
same attributes directly:

- a field given by value or by `attname` (`outlet_id=3`), or the primary key as `pk`, is set as
  given;
- a relation given as an object (`outlet=shop`) sets `outlet_id` from it and caches the object,
  as the descriptor does (`shop.pk` may still be None: an unsaved object is cached and its id
  is taken when it is saved, as with `Model(**values)`);
- every other field gets its default (a callable default is called).

A model with `pre_init` or `post_init` receivers (an ImageField's dimensions, say) is built by
`Model(**values)` instead, so nothing that listens is skipped. An unknown keyword is a TypeError,
as it is for `Model.__init__`.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=models.Model)


@functools.cache
def _fields(model: type[models.Model]) -> tuple[tuple[str, str, Any, str | None], ...]:
    """(name, attname, field, the related object's attribute the column holds, or None)."""
    out = []
    for f in model._meta.concrete_fields:
        if getattr(f, "generated", False):
            continue
        # a concrete relation is a ForeignKey or a OneToOneField: its column holds the target's
        related_attname = f.target_field.attname if f.is_relation else None  # type: ignore[attr-defined]
        out.append((f.name, f.attname, f, related_attname))
    return tuple(out)


def model_build(model: type[M], **values: Any) -> M:
    """An unsaved instance of `model` equal to `model(**values)`, built faster (see the module)."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(**values)
    if "pk" in values:
        values[model._meta.pk.attname] = values.pop("pk")  # type: ignore[union-attr]
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attrs = obj.__dict__
    for name, attname, field, related_attname in _fields(model):
        if related_attname is not None and name in values:
            related = values.pop(name)
            if related is not None and not isinstance(related, field.related_model):
                raise ValueError(
                    f'Cannot assign "{related!r}": "{model.__name__}.{name}" must be a '
                    f'"{field.related_model.__name__}" instance.'
                )
            attrs[attname] = None if related is None else getattr(related, related_attname)
            state.fields_cache[name] = related
        elif attname in values:
            attrs[attname] = values.pop(attname)
        else:
            attrs[attname] = field.get_default()
    if values:
        raise TypeError(f"{model.__name__}() got unexpected keyword arguments: {', '.join(values)}")
    return obj
