"""Attribution of audit entries (django-auditlog), shared by every app's services."""

from contextlib import contextmanager

from auditlog.cid import correlation_id as auditlog_correlation_id
from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry


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
