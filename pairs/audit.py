"""Attribution of audit entries (django-auditlog), shared by every app's services, and the access log of pages
that show many records at once."""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from auditlog.cid import correlation_id as auditlog_correlation_id
from auditlog.cid import get_cid
from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model


@contextmanager
def acting(actor, *, correlation_id: str | None = None):
    """Attribute the audit entries written inside the block to `actor`, in a request or outside one (an import).

    auditlog's `set_actor` leaves its own context behind when it ends, which would detach the request's context
    (matched by an id) for the rest of the request; the request's context is put back afterwards. A
    `correlation_id` (such as "import-<uuid>") marks every entry of the block, nested blocks included, so that the
    audit trail shows which records came in through one import.
    """
    try:
        outer = auditlog_value.get()
    except LookupError:
        outer = None
    address = {"remote_addr": outer.get("remote_addr"), "remote_port": outer.get("remote_port")} if outer else {}
    token = auditlog_correlation_id.set(correlation_id) if correlation_id else None
    try:
        with set_actor(actor, **address):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)
        if token is not None:
            auditlog_correlation_id.reset(token)


def search_record(*, actor, team, text: str, shown) -> LogEntry:
    """An ACCESS entry of a search, written against the team: who searched for what and which records the page of
    results showed them (`shown`: each by its `str()`, the case reference, and its primary key)."""
    return LogEntry.objects.log_create(
        team,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        additional_data={
            "search": text,
            "shown": [str(record) for record in shown],
            "shown_ids": [record.pk for record in shown],
        },
    )


def page_access_record(request, *, subject, shown: Iterable[Model] = (), **details) -> LogEntry:
    """An ACCESS entry for a page that shows many records at once (a list of families, a register, a download,
    the audit trail itself): who saw which page and when, and which records it showed.

    `subject` is what the page is of: the team for its lists and downloads, a group programme for its register, a
    model for a list of its records. `shown` gives the records on the page, kept as primary keys by kind of record,
    never their content, nor the query typed (which may be a name); `details` what else says what was seen (the
    period of a download). One query, whatever the number of records shown.
    """
    shown_keys: dict[str, list] = defaultdict(list)
    for record in shown:
        shown_keys[record._meta.label_lower].append(record.pk)
    is_model = isinstance(subject, type)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_pk="" if is_model else str(subject.pk),
        object_id=None if is_model else subject.pk,
        object_repr=str(subject._meta.verbose_name_plural if is_model else subject),
        action=LogEntry.Action.ACCESS,
        actor=request.user,
        actor_email=request.user.email,
        cid=get_cid(),
        remote_addr=request.META.get("REMOTE_ADDR"),
        additional_data={"page": request.resolver_match.view_name, "shown": dict(shown_keys), **details},
    )
