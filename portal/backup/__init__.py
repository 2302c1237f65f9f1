"""Backups of the whole portal, the database and the uploaded files in one .tar.gz, and restores.

The archive holds:

- `manifest.json`: format, time, portal version, database kind, Alembic revision, rows per table,
  and the SHA-256 of the database copy and of every uploaded file, so a restore can prove it has
  everything before it touches anything.
- `database.sqlite3`: a consistent copy made with SQLite's online backup while the portal runs;
  or `database.pgdump`: `pg_dump --format=custom`, taken in the same snapshot as the row counts.
- `uploads/…`: UPLOAD_DIR (certificate evidence, logos, photos, case documents). Files kept in
  the database store (UPLOAD_STORAGE=database) travel inside the database copy.

A restore refuses to overwrite a database or upload folder that holds data unless forced, puts
the database and files back, checks the row counts against the manifest and rebuilds the search
index. The functions report long steps through `progress(label, length)` (a context manager
with `update(n)`, like click.progressbar) and `say(message)`; they refuse with a `BackupError`,
read in the language of whoever reads it.

Modules: `layout` (what an archive holds, the error), `databases` (copying and restoring SQLite
and PostgreSQL), `writing` (making an archive), `reading` (unpacking and verifying one),
`restoring` (putting one in place), `commands` (`flask backup`, `flask restore`).
"""

from portal.backup.commands import backup_command, restore_command
from portal.backup.databases import pg_tool
from portal.backup.layout import BackupError
from portal.backup.restoring import existing_content, restore_backup
from portal.backup.writing import create_backup, default_target

__all__ = [
    "BackupError",
    "backup_command",
    "create_backup",
    "default_target",
    "existing_content",
    "pg_tool",
    "restore_backup",
    "restore_command",
]
