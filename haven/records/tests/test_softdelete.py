"""Soft deletion lives in one abstract model: every deletable record inherits it, and the services ask the model,
not the presence of a manager, whether removing a row keeps it."""
from django.apps import apps

from haven.cases.models import Attachment, Note
from haven.people.models import IdentityDocument, Nationality, PersonName, Vulnerability
from haven.records import LiveManager, SoftDeletable, is_soft_deletable


def test_the_deletable_records_inherit_one_abstract_model():
    deletable = {model for model in apps.get_models() if issubclass(model, SoftDeletable)}
    assert {Note, Attachment, Vulnerability, IdentityDocument} <= deletable
    # No copy of the fields: every model with a deleted_at column has it from SoftDeletable (the new apps' too).
    with_the_field = {model for model in apps.get_models()
                      if any(field.name == "deleted_at" for field in model._meta.fields)}
    assert with_the_field == deletable


def test_each_keeps_live_rows_by_default_and_every_row_as_base_manager():
    for model in (Note, Attachment, Vulnerability, IdentityDocument):
        assert isinstance(model._default_manager, LiveManager), model
        assert model._meta.base_manager_name == "all_objects", model
        assert {"deleted_at", "deleted_by"} <= {field.name for field in model._meta.fields}, model
        # A subclass's own Meta (ordering, indexes) is kept beside the inherited one.
        assert model._meta.ordering, model


def test_removing_other_person_items_deletes_them():
    assert is_soft_deletable(Vulnerability) and is_soft_deletable(IdentityDocument)
    assert not is_soft_deletable(Nationality) and not is_soft_deletable(PersonName)
