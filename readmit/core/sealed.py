"""The one place encrypted fields are read and written: ``SealedField`` and the keyring.

A ``SealedField`` holds any JSON value (a list of convictions, a flag, a dict of
particulars). In Python it is the plain value; in the database the column holds the text
:func:`readmit.core.crypto.seal` made, bound to its table, column and row id. A value
loaded from the database stays sealed until the attribute is read, so listing cases costs
no decryption; one that was never read is saved back as it was.

The keys come from settings (``READMIT_DATA_KEYS``, ``READMIT_BLIND_INDEX_KEY`` and, during a
blind-index key rotation, ``READMIT_BLIND_INDEX_PREVIOUS_KEYS``), read when first needed,
never at import time. A sealed column cannot be filtered or compared by
value (a lookup raises ``TypeError``): find by a blind index instead.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from readmit.core import crypto
from readmit.core.documents import normalise_document


class Sealed(str):
    """Ciphertext as the database holds it (not yet opened)."""

    __slots__ = ()


@functools.lru_cache(maxsize=8)
def _keyring(data_keys: str, index_key: str, previous_index_keys: str) -> crypto.Keyring:
    try:
        return crypto.parse_keyring(data_keys, index_key, previous_index_keys)
    except crypto.KeyConfigError as error:
        raise ImproperlyConfigured(str(error)) from None


def keyring() -> crypto.Keyring:
    """The configured keys (parsed once per distinct setting)."""
    return _keyring(
        getattr(settings, "READMIT_DATA_KEYS", ""),
        getattr(settings, "READMIT_BLIND_INDEX_KEY", ""),
        getattr(settings, "READMIT_BLIND_INDEX_PREVIOUS_KEYS", ""),
    )


def blind_index(value: str, *, purpose: str) -> str:
    return crypto.blind_index(value, purpose=purpose, keyring=keyring())


def context_of(model: type[models.Model], column: str, pk: object) -> str:
    return f"{model._meta.db_table}.{column}:{pk}"


class SealedAttribute(DeferredAttribute):
    """Opens the sealed value on first read, with the row's own id as associated data."""

    field: SealedField

    def __get__(self, instance: models.Model | None, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = crypto.open_sealed(
                value, context=self.field.context(instance), keyring=keyring()
            )
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        # A data descriptor, so that reads always pass through ``__get__``.
        instance.__dict__[self.field.attname] = value


class SealedField(models.TextField):  # type: ignore[type-arg]
    """A JSON value encrypted at rest (envelope encryption, AES-256-GCM)."""

    descriptor_class = SealedAttribute
    description = "A JSON value encrypted at rest"
    # For django-stubs: the attribute holds (and takes) any JSON value.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # NULL in the column only between a migration's steps: every saved value is sealed,
        # None included (``pending_criminal_case`` not known), so the column never tells it.
        # A nullable column also keeps schema changes from preparing a default by value.
        kwargs["null"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("null", None)
        return name, path, args, kwargs

    def context(self, instance: models.Model) -> str:
        if instance.pk is None:
            raise ValueError(f"{self.model.__name__}.{self.name}: the row needs its id first")
        return context_of(type(instance), self.column, instance.pk)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else Sealed(value)

    def to_python(self, value: Any) -> Any:
        # A fixture (``loaddata``) carries the sealed text: it stays sealed, to be opened with
        # the row's id as ever.
        return Sealed(value) if crypto.is_sealed(value) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        raw = model_instance.__dict__.get(self.attname)
        if isinstance(raw, Sealed):
            return raw  # never read, so unchanged: keep the ciphertext as it is
        value = getattr(model_instance, self.attname)
        return Sealed(crypto.seal(value, context=self.context(model_instance), keyring=keyring()))

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Sealed):
            return value if value is None else str(value)
        raise TypeError(
            f"{self.model.__name__}.{self.name} is encrypted: it cannot be compared or "
            "updated in bulk by value (save the instance; find by a blind index)"
        )

    def value_from_object(self, obj: models.Model) -> Any:
        """What serialisers (``dumpdata``) write: the sealed text, never the plain value."""
        return self.pre_save(obj, add=False)

    def value_to_string(self, obj: models.Model) -> str:
        return str(self.value_from_object(obj))


def _normalised_document(value: str) -> str:
    return normalise_document(value) or ""


class DocumentNumberIndexField(models.CharField):  # type: ignore[type-arg]
    """The blind index of a sealed document number: HMAC-SHA256 of the number as the
    screening core normalises it (``ab 123-456`` = ``AB123456``), under
    ``READMIT_BLIND_INDEX_KEY``, so equal numbers are found without decrypting any.
    Computed on every save (``bulk_create`` too) from the ``source`` field; empty for an
    empty number."""

    PURPOSE = "document-number"

    def __init__(self, *args: Any, source: str = "number", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("editable", False), ("blank", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    @classmethod
    def index_of(cls, number: str) -> str:
        normalised = _normalised_document(number)
        return blind_index(normalised, purpose=cls.PURPOSE) if normalised else ""

    @classmethod
    def lookup(cls, number: str, *, field: str = "number_index") -> models.Q:
        """Documents whose number equals ``number`` (normalised), under the current
        blind-index key or, while a rotation has not finished, a previous one."""
        normalised = _normalised_document(number)
        if not normalised:
            return models.Q(pk__in=[])
        indexes = crypto.blind_indexes(normalised, purpose=cls.PURPOSE, keyring=keyring())
        return models.Q(**{f"{field}__in": indexes})

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = self.index_of(str(getattr(model_instance, self.source) or ""))
        setattr(model_instance, self.attname, value)
        return value
