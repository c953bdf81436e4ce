"""A block of the floor: one hand-written query and the check of its rows against the engine's report."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pairs.models import Team
from pairs.periods import Period

type Rows = list[tuple]


@dataclass(frozen=True)
class Block:
    sql: str
    # Raises AssertionError, naming the figure, unless the rows give the engine's report (`kpi_report`'s typed
    # figures) of the same teams and period.
    check: Callable[[Rows, dict], None]
    # Parameters of the block's own, beyond `floor_params`.
    params: Callable[[Sequence[Team], Period], dict] | None = None


def close(engine, floor, what: str, places: int = 6) -> None:
    """The engine's figure and the floor's, the same to `places` decimal places (both None alike)."""
    if engine is None or floor is None:
        assert engine is floor, (what, engine, floor)
        return
    assert round(float(engine) - float(floor), places) == 0, (what, engine, floor)
