"""What every writer of the import shares: the run it writes for, and the outcome of each record."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitoring.importer import ImportRun

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class Writer:
    """Writes one file's records: `load()` reads the existing records of a chunk, `write()` one record."""

    def __init__(self, run: "ImportRun"):
        self.run = run
        self.team = run.team
        self.actor = run.actor

    def load(self, records: list) -> None:
        pass

    def write(self, record) -> str:
        raise NotImplementedError


def differences(instance, values: dict) -> dict:
    """The entries of `values` that differ from what `instance` holds."""
    return {name: value for name, value in values.items() if getattr(instance, name) != value}
