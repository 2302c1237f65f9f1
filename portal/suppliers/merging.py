"""Merging two records of the same firm, and undoing it.

Everything that points at the duplicate (members, capabilities, certificates, photos, claims,
compliance cases, quotes, introductions...) moves to the kept record. The rows are found from the
schema's foreign keys, so a table added later moves too. A row that would break a uniqueness rule
on the kept firm (the same person twice, two capabilities of one category) stays with the
duplicate and is listed. The duplicate is not deleted: it stays as a hidden record pointing at
the kept one, so its audit history stays readable and the merge can be undone.
"""

from dataclasses import dataclass

from sqlalchemy import PrimaryKeyConstraint, Table, UniqueConstraint, and_, or_, select, tuple_, update

from portal import audit
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.suppliers.models import PROFILE_FIELDS, Firm, FirmMerge
from portal.timeutil import utcnow
from portal.transactions import check_version, one_act

MERGEABLE_FIELDS = (*PROFILE_FIELDS, "logo_path")


class MergeRefused(Refusal):
    """The merge (or its undoing) does not apply to the records as they are."""


class MergeChanged(MergeRefused):
    """One of the two records changed after the reviewer loaded the comparison."""

    def __init__(self):
        super().__init__(N_("One of the records changed while you were comparing them; compare them again."))


@dataclass(frozen=True)
class Link:
    """A column of `table` that points at a firm."""

    table: Table
    column: str

    @property
    def key(self) -> str:
        return f"{self.table.name}.{self.column}"


def _links() -> list[Link]:
    """Every column of the schema with a foreign key to firm.id, except the merge bookkeeping."""
    skip = {("firm", "merged_into_id"), ("firm_merge", "kept_id"), ("firm_merge", "merged_id")}
    return [
        Link(table, fk.parent.name)
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "firm" and (table.name, fk.parent.name) not in skip
    ]


def _unique_sets(link: Link) -> list[list[str]]:
    """The other columns of each uniqueness rule (key, unique constraint or unique index) that
    includes the link's column. A column declared `unique=True` is among the constraints."""
    rules = [c.columns for c in link.table.constraints if isinstance(c, UniqueConstraint | PrimaryKeyConstraint)]
    rules += [i.columns for i in link.table.indexes if i.unique]
    return [[c.name for c in columns if c.name != link.column] for columns in rules if link.column in columns]


def _row_keys(link: Link, firm_id: int) -> list[list]:
    pk = list(link.table.primary_key.columns)
    rows = db.session.execute(select(*pk).where(link.table.c[link.column] == firm_id)).all()
    return [list(row) for row in rows]


def _clashing_keys(link: Link, merged_id: int, kept_id: int) -> set[tuple]:
    """Keys of the duplicate's rows that would repeat a row the kept firm already has."""
    table, pk = link.table, list(link.table.primary_key.columns)
    clashes: set[tuple] = set()
    for others in _unique_sets(link):
        theirs = table.alias("kept_rows")
        same = [theirs.c[link.column] == kept_id, *(theirs.c[name] == table.c[name] for name in others)]
        rows = db.session.execute(
            select(*pk).where(table.c[link.column] == merged_id, select(theirs).where(and_(*same)).exists())
        ).all()
        clashes.update(tuple(row) for row in rows)
    return clashes


def _move(link: Link, keys: list[list], from_id: int, to_id: int) -> None:
    if not keys:
        return
    pk = list(link.table.primary_key.columns)
    db.session.execute(
        update(link.table)
        .where(tuple_(*pk).in_([tuple(k) for k in keys]), link.table.c[link.column] == from_id)
        .values({link.column: to_id})
    )


def preview(kept: Firm, merged: Firm) -> dict:
    """What a merge would move and leave, per table, for the reviewer to read before confirming."""
    _check_pair(kept, merged)
    plan = {}
    for link in _links():
        keys = _row_keys(link, merged.id)
        if keys:
            clashes = _clashing_keys(link, merged.id, kept.id)
            plan[link.key] = {"move": len(keys) - len(clashes), "stay": len(clashes)}
    return plan


def suggested_values(kept: Firm, merged: Firm) -> dict[str, str]:
    """Which record's value each field should keep: "kept" unless only the duplicate has one, or
    the duplicate's description says more."""
    choice = {}
    for name in MERGEABLE_FIELDS:
        mine, theirs = getattr(kept, name), getattr(merged, name)
        better = (not mine and theirs) or (name == "description" and len(theirs or "") > len(mine or ""))
        choice[name] = "merged" if better else "kept"
    return choice


def _check_pair(kept: Firm, merged: Firm) -> None:
    if kept.id == merged.id:
        raise MergeRefused(N_("Choose two different records."))
    if kept.merged_into_id or merged.merged_into_id:
        raise MergeRefused(N_("One of these records is already merged into another; undo that merge first."))


def merge(kept: Firm, merged: Firm, by, *, take_from_merged: set[str], versions: tuple[int, int] | None) -> FirmMerge:
    """Merge `merged` into `kept` in one transaction; `take_from_merged` names the fields whose
    value comes from the duplicate. `versions` are the two records' versions the reviewer saw."""
    _check_pair(kept, merged)
    for firm, seen_version in zip((kept, merged), versions or (None, None), strict=True):
        check_version(firm, seen_version, MergeChanged)
    unknown = take_from_merged - set(MERGEABLE_FIELDS)
    if unknown:
        raise MergeRefused(N_("Unknown fields: %(names)s"), names=", ".join(sorted(unknown)))
    with one_act(MergeChanged):
        kept_before = {name: getattr(kept, name) for name in sorted(take_from_merged)}
        for name in take_from_merged:
            setattr(kept, name, getattr(merged, name))
        moved, left = {}, {}
        for link in _links():
            keys = _row_keys(link, merged.id)
            clashes = _clashing_keys(link, merged.id, kept.id)
            movable = [k for k in keys if tuple(k) not in clashes]
            _move(link, movable, merged.id, kept.id)
            if movable:
                moved[link.key] = movable
            if clashes:
                left[link.key] = sorted(list(k) for k in clashes)
        merged.merged_into_id = kept.id
        kept.updated_at = utcnow()  # the kept record changed even when no field did: re-index it
        record = FirmMerge(
            kept=kept, merged=merged, kept_before=kept_before, moved=moved, left_behind=left,
            merged_by_id=by.id,
        )  # fmt: skip
        db.session.add(record)
        db.session.flush()
        details = {"kept": kept.id, "merged": merged.id, "fields": sorted(take_from_merged), "moved": _counts(moved)}
        audit.record("firm.merged", kept, actor=by, before=kept_before, after=details, firm_id=kept.id)
        audit.record("firm.merged_away", merged, actor=by, after=details, firm_id=merged.id)
    db.session.expire_all()
    return record


def undo(record: FirmMerge, by) -> None:
    """Give the duplicate back its rows and the kept record its old field values.

    Rows moved by the merge go back; rows added to the kept firm since then stay where they are.
    """
    if record.undone_at is not None:
        raise MergeRefused(N_("This merge was undone already."))
    kept, merged = record.kept, record.merged
    if kept.merged_into_id is not None:
        raise MergeRefused(N_("The kept record was merged into another since; undo that merge first."))
    with one_act(MergeChanged):
        links = {link.key: link for link in _links()}
        for key, keys in record.moved.items():
            if key in links:
                _move(links[key], keys, kept.id, merged.id)
        restored = {}
        for name, value in record.kept_before.items():
            restored[name] = getattr(kept, name)
            setattr(kept, name, value)
        merged.merged_into_id = None
        merged.updated_at = kept.updated_at = utcnow()
        record.undone_at, record.undone_by_id = utcnow(), by.id
        details = {"kept": kept.id, "merged": merged.id, "moved_back": _counts(record.moved)}
        audit.record(
            "firm.merge_undone",
            kept,
            actor=by,
            before=restored,
            after={**record.kept_before, **details},
            firm_id=kept.id,
        )
        audit.record("firm.merge_undone", merged, actor=by, after=details, firm_id=merged.id)
    db.session.expire_all()


def _counts(moved: dict) -> dict[str, int]:
    return {key: len(keys) for key, keys in moved.items()}


def merges_of(firm: Firm) -> list[FirmMerge]:
    return list(
        db.session.scalars(
            select(FirmMerge)
            .where((FirmMerge.kept_id == firm.id) | (FirmMerge.merged_id == firm.id))
            .order_by(FirmMerge.merged_at.desc())
        )
    )


def history_firm_ids(firm_id: int) -> list[int]:
    """The firm and every record merged into it (and not undone): its history is theirs together."""
    ids, frontier = [firm_id], [firm_id]
    while frontier:
        frontier = list(
            db.session.scalars(
                select(FirmMerge.merged_id).where(FirmMerge.kept_id.in_(frontier), FirmMerge.undone_at.is_(None))
            )
        )
        ids += [i for i in frontier if i not in ids]
    return ids


def possible_duplicates(firm: Firm, limit: int = 5) -> list[Firm]:
    """Other live records with the same name, NTN or website: what a reviewer should compare."""
    same = [Firm.legal_name.ilike(firm.legal_name)]
    if firm.ntn:
        same.append(Firm.ntn == firm.ntn)
    if firm.website:
        same.append(Firm.website == firm.website)
    if firm.trade_name:
        same.append(Firm.trade_name.ilike(firm.trade_name))
    return list(
        db.session.scalars(
            select(Firm)
            .where(or_(*same), Firm.id != firm.id, Firm.merged_into_id.is_(None))
            .order_by(Firm.id)
            .limit(limit)
        )
    )
