"""Plain result records returned by the wrappers (NamedTuples: they unpack
like tuples and compare equal to them)."""
from typing import NamedTuple, Optional


class Match(NamedTuple):
    """A row of a radius query or a match: an object id and its distance."""
    id: int
    distance_m: float


class BatchMatch(NamedTuple):
    """A row of a nightly batch: participant id, distance, posting id."""
    id: int
    distance_m: float
    source_id: int


class BoundingBox(NamedTuple):
    """Bounding box of a region's boundary, in degrees."""
    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float


class PostingApplication(NamedTuple):
    """An application as the posting sees it; rank 0 before selection."""
    participant_id: int
    status: int
    date: int
    rank: int


class ParticipantApplication(NamedTuple):
    """An application as the participant sees it."""
    posting_id: int
    status: int
    date: int


class Selection(NamedTuple):
    """How a posting's slots were filled, so an auditor can re-run the draw."""
    method: int
    seed: int
    date: int


class WorkEntry(NamedTuple):
    """A stipend ledger entry as the cap leaves it."""
    entry_id: int
    participant_id: int
    posting_id: int
    date: int
    minutes: int
    paid_minutes: int
    amount_krw: int
    voided: bool


class Statement(NamedTuple):
    """A participant's stipend statement for one period."""
    worked_minutes: int
    paid_minutes: int
    over_cap_minutes: int
    remaining_minutes: int
    amount_krw: int


class PostingTotals(NamedTuple):
    """A posting's stipend totals for one period."""
    worked_minutes: int
    paid_minutes: int
    over_cap_minutes: int
    amount_krw: int


class ProgrammeTotals(NamedTuple):
    """The programme's stipend totals for one period, against its budget."""
    worked_minutes: int
    paid_minutes: int
    over_cap_minutes: int
    amount_krw: int
    over_budget: bool


class Target(NamedTuple):
    """A job target of (year, region, programme type)."""
    year: int
    region_id: int
    programme_type: int
    target: int


class Actual(NamedTuple):
    """Jobs recorded from outside the registry."""
    actual_id: int
    date: int
    region_id: int
    programme_type: int
    jobs: int


class RowKey(NamedTuple):
    """The key of a statistics row."""
    year: int
    region_id: int
    programme_type: int


class RatioValue(NamedTuple):
    """An exact ratio and its rounded value (None for a zero denominator)."""
    numerator: int
    denominator: int
    rounded: Optional[int]


class StatsRegion(NamedTuple):
    """A region named by statistics rows."""
    region_id: int
    level: int
    parent_id: int
    name: str


class TableColumn(NamedTuple):
    """A column of a published table: key and scale (value / scale = figure)."""
    name: str
    scale: int


class TableRow(NamedTuple):
    """A row of a published table (region 0 and label "total": the totals)."""
    region_id: int
    programme_type: int
    label: str


class TableCell(NamedTuple):
    """A published cell: its value (0 unless published) and CellState."""
    value: int
    state: int
