"""`full_clean()` without a query for each relation the service has already loaded.

Django validates a foreign key by asking the database whether the row it points to exists: one query for each
relation of each record, on every save. The services set their relations from rows they have just read (the team,
the actor, the referral, a coded list's entry), so the answer is known. An import writes some 40 queries a
referral, and these were a sixth of them.
"""

from django.db import models


class TrustsLoadedRelations(models.Model):
    """A model whose `clean_fields` leaves out the existence check of a foreign key set to a row read from the
    database, as long as the key has no `limit_choices_to` (which the check would also apply). A key given as a
    bare id, or set to an unsaved object, is still checked; the database's own constraint stands behind both."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        loaded = {
            field.name
            for field in self._meta.concrete_fields
            if field.many_to_one
            and not field.remote_field.limit_choices_to
            and field.is_cached(self)
            and (related := field.get_cached_value(self)) is not None
            and not related._state.adding
            and related.pk == getattr(self, field.attname)
        }
        super().clean_fields(exclude={*(exclude or ()), *loaded})
