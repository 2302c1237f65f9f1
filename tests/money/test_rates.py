"""Exchange rates: conversions worked out by hand, the rate of the day, a missing rate said, the
`flask rates load` command and the quote comparison in one currency."""

from datetime import date, timedelta
from decimal import Decimal

from portal.extensions import db
from portal.money.models import ExchangeRate
from portal.money.rates import Rate, RateBook, load_rates, rates_on
from portal.timeutil import today

DAY = date(2026, 12, 1)
BOOK = RateBook(
    DAY,
    {
        "USD": Rate("USD", DAY, Decimal("280.00"), "SBP"),
        "CNY": Rate("CNY", DAY, Decimal("40.00"), "SBP"),
    },
)


def test_conversions_worked_out_by_hand():
    # 2.35 USD × 280 = 658 PKR
    assert BOOK.convert(Decimal("2.35"), "USD", "PKR").value == Decimal("658.0000")
    # 3.10 CNY × 40 = 124 PKR; 124 / 280 = 0.442857… USD
    usd = BOOK.convert(Decimal("3.10"), "CNY", "USD")
    assert round(usd.value, 6) == Decimal("0.442857")
    assert [r.currency for r in usd.rates] == ["CNY", "USD"] and usd.amount == Decimal("3.10")
    # 1,400 PKR / 280 = 5 USD; the same currency needs no rate
    assert BOOK.convert(Decimal("1400"), "PKR", "USD").value == Decimal(5)
    assert BOOK.convert(Decimal("7"), "EUR", "EUR").rates == ()


def test_a_missing_rate_is_said_never_guessed():
    assert BOOK.convert(Decimal("1"), "EUR", "USD") is None
    assert BOOK.missing({"USD", "EUR", "PKR"}) == ["EUR"]


def test_the_rate_of_the_day_or_the_latest_of_the_week_before(app):
    day = today()
    db.session.add_all(
        [
            ExchangeRate(currency="USD", rate_date=day - timedelta(days=3), pkr_per_unit=Decimal("281"), source="SBP"),
            ExchangeRate(currency="USD", rate_date=day - timedelta(days=1), pkr_per_unit=Decimal("282"), source="SBP"),
            ExchangeRate(currency="USD", rate_date=day + timedelta(days=1), pkr_per_unit=Decimal("290"), source="SBP"),
            ExchangeRate(currency="CNY", rate_date=day - timedelta(days=9), pkr_per_unit=Decimal("39"), source="SBP"),
        ]
    )
    db.session.commit()
    book = rates_on(day)
    assert book.rate("USD").pkr_per_unit == Decimal("282") and book.rate("USD").rate_date == day - timedelta(days=1)
    assert book.rate("CNY") is None  # nine days old: too old to stand for today


def test_loading_a_csv_keeps_good_lines_names_bad_ones_and_replaces_a_day_already_kept(app, users):
    text = "date,currency,pkr_per_unit\n2026-12-01,USD,280.5\n2026-12-01,CNY,39.2\n2026-12-01,GBP,350\nyesterday,EUR,300\n2026-12-01,EUR,-1\n"
    result = load_rates(text, "State Bank of Pakistan", users["staff"])
    assert result.loaded == 2
    assert [(n, str(why)) for n, why in result.refused] == [
        (4, "the currency must be one of USD, EUR, CNY"),
        (5, "the date must be written YYYY-MM-DD"),
        (6, "the rate must be a number of rupees above 0"),
    ]
    load_rates("date,currency,pkr_per_unit\n2026-12-01,USD,281\n", "SBP revised")
    kept = db.session.scalars(db.select(ExchangeRate).where(ExchangeRate.currency == "USD")).all()
    assert [(r.pkr_per_unit, r.source) for r in kept] == [(Decimal("281.000000"), "SBP revised")]


def test_the_flask_command_loads_rates_and_exits_1_on_a_bad_line(app, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("date,currency,pkr_per_unit\n2026-12-01,USD,280\n2026-12-01,XXX,1\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["rates", "load", str(path), "--source", "State Bank of Pakistan"])
    assert result.exit_code == 1
    assert "line 3: the currency must be one of" in result.output
    assert "Loaded 1 rate(s) from State Bank of Pakistan" in result.output
    missing_source = runner.invoke(args=["rates", "load", str(path)])
    assert missing_source.exit_code != 0


def test_staff_see_the_rates_with_their_source(client, login):
    load_rates(f"date,currency,pkr_per_unit\n{today().isoformat()},USD,280\n", "State Bank of Pakistan")
    login("staff")
    page = client.get("/staff/rates/").get_data(as_text=True)
    assert "State Bank of Pakistan" in page and "280" in page


def test_the_quote_comparison_orders_prices_in_one_currency_and_shows_the_original_beside(client, login, users):
    from portal.needs.models import NeedStatus
    from tests.factories import make_need, make_quote
    from tests.needs.conftest import battery_firm

    day = today().isoformat()
    load_rates(f"date,currency,pkr_per_unit\n{day},USD,280\n{day},CNY,40\n", "State Bank of Pakistan")
    need = make_need(users["brand"], status=NeedStatus.CLOSED, certifications=(), currency="USD")
    need.closed_at = need.created_at
    db.session.commit()
    # 2.00 USD; 12.00 CNY = 480 PKR = 1.71 USD; 500 PKR = 1.79 USD; 9.00 EUR has no rate
    make_quote(need, battery_firm("Dollar Cells"), unit_price=Decimal("2.00"))
    make_quote(need, battery_firm("Yuan Cells"), unit_price=Decimal("12.00"), currency="CNY")
    make_quote(need, battery_firm("Rupee Cells"), unit_price=Decimal("500"), currency="PKR")
    make_quote(need, battery_firm("Euro Cells"), unit_price=Decimal("9.00"), currency="EUR")
    login("brand")
    page = client.get(f"/needs/{need.id}/quotes?sort=price").get_data(as_text=True)
    order = [page.index(name) for name in ("Yuan Cells", "Rupee Cells", "Dollar Cells", "Euro Cells")]
    assert order == sorted(order)
    assert "≈ 1.7143 USD" in page and "≈ 1.7857 USD" in page
    assert "no EUR rate today: not converted" in page
    assert "State Bank of Pakistan" in page
