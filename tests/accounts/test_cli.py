from sqlalchemy import select

from portal.accounts.models import ApiToken, Role, User


def test_create_user_makes_a_staff_account(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-user", "Officer@EDB.example", "--role", "staff", "--password", "steady review of listings"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "officer@edb.example"))
    assert user.role == Role.STAFF
    assert "Created the account officer@edb.example" in result.output
    assert "EDB staff" in result.output


def test_create_user_asks_for_the_password_when_not_given(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-user", "b@example.com", "--role", "brand"], input="a long enough phrase\na long enough phrase\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "b@example.com")) is not None


def test_create_user_refuses_weak_password_and_duplicates(app, users):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["create-user", "x@example.com", "--role", "brand", "--password", "password"])
    assert weak.exit_code != 0
    assert "password refused" in weak.output
    dup = runner.invoke(
        args=["create-user", "brand@example.com", "--role", "brand", "--password", "a long enough phrase"]
    )
    assert dup.exit_code != 0
    assert "already exists" in dup.output


def test_create_user_refuses_unknown_role(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "x@example.com", "--role", "admin", "--password", "a long enough phrase"]
    )
    assert result.exit_code != 0


def test_create_token_prints_a_token_stored_only_as_hash(app, db, users):
    result = app.test_cli_runner().invoke(args=["create-token", "brand@example.com", "--name", "ERP"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("edb_") and len(token) > 30
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == ApiToken.hash(token)
    assert token not in (row.token_hash, row.prefix)
    assert (row.name, row.user_id) == ("ERP", users["brand"].id)


def test_token_identifies_its_user_on_the_api_only(app, db, users):
    from portal.accounts.loaders import load_user_from_token

    token = app.test_cli_runner().invoke(args=["create-token", "brand@example.com"]).output.strip()

    def user_for(path, header):
        with app.test_request_context(path, headers={"Authorization": header}) as ctx:
            return load_user_from_token(ctx.request)

    assert user_for("/api/v1/needs", f"Bearer {token}").email == "brand@example.com"
    assert user_for("/api/v1/needs", "Bearer wrong") is None
    assert user_for("/api/v1/needs", f"Basic {token}") is None
    assert user_for("/account/", f"Bearer {token}") is None, "pages never accept tokens"


def test_revoked_token_is_refused(app, db, users):
    from portal.accounts.loaders import load_user_from_token
    from portal.timeutil import utcnow

    token = app.test_cli_runner().invoke(args=["create-token", "brand@example.com"]).output.strip()
    db.session.scalar(select(ApiToken)).revoked_at = utcnow()
    db.session.commit()
    with app.test_request_context("/api/v1/x", headers={"Authorization": f"Bearer {token}"}) as ctx:
        assert load_user_from_token(ctx.request) is None


def test_create_token_for_unknown_account_fails(app):
    result = app.test_cli_runner().invoke(args=["create-token", "ghost@example.com"])
    assert result.exit_code != 0
    assert "no account uses ghost@example.com" in result.output


def test_account_commands_report_in_urdu_when_asked(app, db):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["create-user", "a@example.com", "--role", "brand", "--password", "short", "--language", "ur"]
    )
    made = runner.invoke(
        args=["create-user", "a@example.com", "--role", "brand", "--password", "steady review of listings"],
        env={"PORTAL_LANGUAGE": "ur"},
    )
    ghost = runner.invoke(args=["create-token", "ghost@example.com", "--language", "ur"])

    def words(result) -> str:
        return result.output.replace("\u2068", "").replace("\u2069", "")

    assert weak.exit_code != 0 and "پاس ورڈ مسترد: کم از کم" in words(weak)
    assert made.exit_code == 0 and "اکاؤنٹ a@example.com بنا دیا گیا" in words(made) and "عالمی برانڈ" in words(made)
    assert ghost.exit_code != 0 and "ghost@example.com کسی اکاؤنٹ کا پتا نہیں" in words(ghost)
