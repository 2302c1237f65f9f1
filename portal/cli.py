"""`flask --app portal …` commands for accounts, tokens, the taxonomy and demo data."""

import sys

import click
from flask import Flask, current_app
from flask_babel import gettext as _

from portal.accounts import service as accounts
from portal.accounts.models import ApiToken, Role
from portal.accounts.passwords import password_problem
from portal.extensions import db
from portal.formatting import format_number
from portal.i18n import N_, language_option
from portal.jobs import runs_once
from portal.transactions import one_act


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(create_token)
    app.cli.add_command(accounts_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(taxonomy_cli)
    app.cli.add_command(send_reminders)
    app.cli.add_command(mail_cli)
    from portal.staff.cli import export_suppliers, import_suppliers

    app.cli.add_command(import_suppliers)
    app.cli.add_command(export_suppliers)
    app.cli.add_command(search_index_cli)
    from portal.audit.cli import audit_cli

    app.cli.add_command(audit_cli)
    from portal.needs.cli import close_due_needs

    app.cli.add_command(close_due_needs)
    from portal.suppliers.responsiveness import responsiveness_cli

    app.cli.add_command(responsiveness_cli)

    from portal.dashboard.cli import load_trade_imports, snapshot_metrics

    app.cli.add_command(snapshot_metrics)
    app.cli.add_command(load_trade_imports)

    from portal.money.cli import rates_cli

    app.cli.add_command(rates_cli)

    from portal.backup import backup_command, restore_command
    from portal.catalogue import translations_cli

    app.cli.add_command(translations_cli)

    from portal.storage.cli import storage_cli

    app.cli.add_command(storage_cli)

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="The account's role.")
@click.option("--name", "full_name", default="", help="Full name (defaults to the e-mail's local part).")
@click.option("--organisation", default="", help="Company, fund or firm the person acts for.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Asked for when not given.")
@language_option
def create_user(email, role, full_name, organisation, password):
    """Create an account of any role, staff included."""
    problem = password_problem(password, email=email)
    if problem:
        raise click.ClickException(_("password refused: %(problem)s", problem=problem.translated()))
    try:
        with one_act():
            user = accounts.create_user(
                email=email,
                password=password,
                full_name=full_name or email.split("@")[0],
                role=role,
                organisation=organisation or ("Engineering Development Board" if role == "staff" else ""),
            )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        _("Created the account %(email)s (id %(id)s): %(role)s.", role=user.role.label, email=user.email, id=user.id)
    )


def _account(email: str):
    """The account that uses `email`; the command stops, saying so, when none does."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(_("no account uses %(email)s", email=email))
    return user


@click.group("accounts")
def accounts_cli():
    """People's accounts."""


@accounts_cli.command("confirm")
@click.argument("email")
@click.option("--note", required=True, help='How the address was checked off-line, e.g. "phoned the firm".')
@language_option
def accounts_confirm(email, note):
    """Confirm an account's address after checking it off-line (when no e-mailed link can reach it);
    the person is told in the portal, and the note goes to the audit trail."""
    from portal.accounts import address_review

    user = _account(email)
    try:
        address_review.confirm_address(user, None, note)
    except address_review.AddressReviewRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(_("Confirmed %(email)s; the person is told in the portal.", email=user.email))


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="command line", help="A name to recognise the token by.")
@language_option
def create_token(email, name):
    """Print a new API token for the account; it is shown only this once."""
    user = _account(email)
    with one_act():
        _token, plain = ApiToken.issue(user, name)
    click.echo(plain)


@click.command("seed-demo")
def seed_demo():
    """Load the demo data set: firms, brands, investors and one account per role (idempotent)."""
    from portal.demo import seed

    summary = seed.seed_demo(progress=lambda label, items: click.progressbar(items, label=label))
    for line in summary:
        click.echo(line)


@click.group("taxonomy")
def taxonomy_cli():
    """The component categories, processes and certifications."""


@taxonomy_cli.command("sync")
@language_option
def taxonomy_sync():
    """Write the taxonomy CSV files into the database (keeps staff-edited phases)."""
    from portal.taxonomy import sync_taxonomy

    with one_act():
        sync_taxonomy()
    click.echo(_("Taxonomy is up to date."))


@taxonomy_cli.command("check-units")
@language_option
def taxonomy_check_units():
    """List capabilities and needs whose unit is not one of their category's units; exits 1 if any.

    Their figures are counted apart ("unit not stated") until the firm, the brand or staff choose
    one of the category's units on the capability's or need's form.
    """
    from portal.taxonomy.checks import units_to_fix
    from portal.taxonomy.names import category_name, unit_name, unit_symbol

    found = units_to_fix()
    kinds = {"capability": N_("capability %(id)s"), "need": N_("need %(id)s")}
    for item in found:
        typed = _(' (typed "%(typed)s")', typed=item.typed) if item.typed else ""
        click.echo(
            _(
                "%(item)s: %(owner)s, %(category)s, %(amount)s %(unit)s%(typed)s; choose one of: %(units)s",
                item=_(kinds[item.kind], id=item.id),
                owner=item.owner,
                category=_("%(name)s (%(slug)s)", name=category_name(item.category), slug=item.category),
                amount=format_number(item.amount),
                unit=unit_symbol(item.unit),
                typed=typed,
                units=", ".join(unit_name(unit) for unit in item.allowed) or _("no unit listed for this category"),
            )
        )
    if found:
        click.echo(_("%(count)s to fix; until then their figures are counted apart.", count=format_number(len(found))))
        raise SystemExit(1)
    click.echo(_("Every capability and need is counted in one of its category's units."))


@click.command("send-reminders")
@runs_once("send-reminders")
@language_option
def send_reminders():
    """E-mail firms whose certificates expire in 30 or 7 days (each reminder once; run daily)."""
    from portal.suppliers.reminders import send_reminders as send

    count = send()
    click.echo(_("Sent %(count)s certificate expiry reminder(s).", count=format_number(count)))


@click.group("mail")
def mail_cli():
    """The outbox of e-mail waiting to go out."""


@mail_cli.command("send")
@language_option
def mail_send():
    """Deliver every message that is due (new, or waiting for its retry); exit 1 if some failed."""
    from portal.mail import deliver_due, mail_is_on

    if not mail_is_on():
        raise click.ClickException(_("MAIL_SERVER is not set: the outbox keeps the messages until it is."))
    sent = failed = 0
    while True:
        batch_sent, batch_failed = deliver_due()
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_sent + batch_failed == 0:
            break
    click.echo(
        _(
            "%(sent)s sent, %(failed)s failed (kept in the outbox with the error, tried again later).",
            sent=format_number(sent),
            failed=format_number(failed),
        )
    )
    if failed:
        raise SystemExit(1)


@click.group("search-index")
def search_index_cli():
    """The full-text search index of firms."""


@search_index_cli.command("rebuild")
@language_option
def search_index_rebuild():
    """Index every public firm into a new index and swap it in (searches keep working meanwhile)."""
    from sqlalchemy import func, select

    from portal import search
    from portal.suppliers.models import Firm

    total = db.session.scalar(select(func.count(Firm.id)).where(Firm.is_public))
    with click.progressbar(length=total, label=_("Indexing firms"), show_pos=True) as bar:
        count = search.rebuild(progress=bar.update)
    click.echo(_("Indexed %(count)s public firms.", count=format_number(count)))


def index_sync_job() -> str:
    """Each host keeps its own index: one sync at a time per index, each host's cron runs its own."""
    return f"search-index sync of {current_app.config['PORTAL_INDEX_DIR']}"


@search_index_cli.command("sync")
@runs_once(index_sync_job)
@language_option
def search_index_sync():
    """Apply changes waiting in the index outbox (after a crash or a busy index)."""
    from portal import search
    from portal.jobs import exclusive

    click.echo(_("Re-indexed %(count)s firm(s).", count=format_number(search.sync())))
    search.indexing.record_progress(force=True)
    keep = current_app.config["SEARCH_OUTBOX_KEEP_DAYS"]
    with exclusive("search outbox prune") as held:
        if held:
            removed = search.indexing.prune(keep)
            click.echo(
                _(
                    "Removed %(removed)s outbox row(s) every host's index has applied "
                    "(hosts silent for %(days)s days are no longer waited for).",
                    removed=format_number(removed),
                    days=keep,
                )
            )


@search_index_cli.command("check")
@language_option
def search_index_check():
    """Compare the index with the database; exit 1 and name every firm that differs."""
    from sqlalchemy import func, select

    from portal import search
    from portal.suppliers.models import Firm

    total = db.session.scalar(select(func.count(Firm.id)).where(Firm.is_public))
    with click.progressbar(length=total, label=_("Checking firms"), show_pos=True, file=sys.stderr) as bar:
        drift = search.check(progress=bar.update)
    if drift.clean:
        click.echo(_("Index and database agree (%(count)s public firms).", count=format_number(total)))
        return
    for heading, ids in (
        (N_("%(count)s firm(s) missing from the index:"), drift.missing),
        (N_("%(count)s firm(s) in the index but not public:"), drift.hidden),
        (N_("%(count)s firm(s) out of date in the index:"), drift.stale),
    ):
        if ids:
            names = dict(db.session.execute(select(Firm.id, Firm.legal_name).where(Firm.id.in_(ids))).all())
            click.echo(_(heading, count=format_number(len(ids))))
            for firm_id in ids:
                click.echo(f"  {firm_id}  {names.get(firm_id) or _('(deleted)')}")
    click.echo(_("Run 'flask search-index sync' or 'flask search-index rebuild' to repair."))
    raise SystemExit(1)
