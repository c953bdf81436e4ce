"""Database upkeep that the apps' services share."""

from django.apps import apps
from django.db import connection

# The apps whose tables a bulk write (an import, the demo) fills.
CASEWORK_APPS = ("referrals", "outcomes", "training")


def planner_statistics_refresh(app_labels: tuple[str, ...] = CASEWORK_APPS) -> None:
    """Refresh PostgreSQL's planner statistics on the tables of `app_labels`, after a bulk write.

    Autovacuum gathers them only a while after a commit. Until then the planner guesses the tables' sizes from their
    pages, and may plan the KPI engine's correlated subqueries as scans of whole tables: minutes instead of a
    fraction of a second on a freshly imported service. ANALYZE run inside the writing transaction counts that
    transaction's own new rows. SQLite plans these queries well without statistics.
    """
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for label in app_labels for model in apps.get_app_config(label).get_models()]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
