"""Model fields that are encrypted at rest.

The database holds a Fernet token (base64 text); Python code sees plaintext.
Encrypted fields cannot be searched or sorted in SQL by design.
"""
from __future__ import annotations

from django.db import models

from haven.crypto import keyring

PREFIX = "enc1:"


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return PREFIX + keyring.encrypt_bytes(value.encode("utf-8")).decode("ascii")

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        if not value.startswith(PREFIX):
            raise keyring.KeyringError("an encrypted column holds a value without the token prefix")
        return keyring.decrypt_bytes(value[len(PREFIX):].encode("ascii")).decode("utf-8")

    def to_python(self, value):
        return value


class EncryptedCharField(EncryptedTextField):
    """Short encrypted text; max_length is validated on the plaintext."""

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)
        if max_length:
            from django.core.validators import MaxLengthValidator

            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"form_class": forms.CharField, "max_length": self.plain_max_length}
        defaults.update(kwargs)
        return super(models.TextField, self).formfield(**defaults)


class EncryptedBinaryField(models.BinaryField):
    description = "Bytes encrypted at rest"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        value = keyring.encrypt_bytes(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return keyring.decrypt_bytes(bytes(value))


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, (EncryptedTextField, EncryptedBinaryField))]
