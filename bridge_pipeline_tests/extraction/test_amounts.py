from decimal import Decimal

import pytest

from bridge_pipeline.extraction.amounts import find_amounts, format_amount


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("a fixed fee of €48,000 for the scope", "48000.00", "EUR"),
        ("48.000 € all in", "48000.00", "EUR"),
        ("EUR 52,500 after the change", "52500.00", "EUR"),
        ("about 48,000 euros", "48000.00", "EUR"),
        ("stays at $22,000 per month", "22000.00", "USD"),
        ("1.2 million dollars", "1200000.00", "USD"),
        ("$1.2 million", "1200000.00", "USD"),
        ("£3,500.50 for travel", "3500.50", "GBP"),
        ("PLN 20 000 net", "20000.00", "PLN"),
        ("20 000 zł", "20000.00", "PLN"),
        ("€48k", "48000.00", "EUR"),
        ("48k euros", "48000.00", "EUR"),
        ("1.234,56 € exactly", "1234.56", "EUR"),
        ("1,5 million EUR", "1500000.00", "EUR"),
    ],
)
def test_amount_is_read_with_its_currency_and_value(text, value, currency):
    [amount] = find_amounts(text)
    assert amount.value == Decimal(value)
    assert amount.currency == currency


def test_comma_and_dot_thousands_separators_mean_the_same_amount():
    [english] = find_amounts("€48,000")
    [continental] = find_amounts("48.000 €")
    assert english.value == continental.value == Decimal("48000")


def test_amount_keeps_the_phrase_as_spoken():
    [amount] = find_amounts("We could come down to €48,000 if the export is on time.")
    assert amount.text == "€48,000"
    assert format_amount(amount) == "EUR 48000.00"


def test_numbers_without_a_currency_are_not_money():
    assert find_amounts("99.9% uptime, 48,000 rows and 300 million gas") == []


def test_scaled_number_uses_the_meeting_currency_only_when_one_is_given():
    assert find_amounts("about 48k for the project") == []
    [amount] = find_amounts("about 48k for the project", default_currency="EUR")
    assert (amount.value, amount.currency) == (Decimal("48000"), "EUR")


def test_several_amounts_come_out_in_order():
    amounts = find_amounts("€18,000 on the report and €30,000 on acceptance")
    assert [a.value for a in amounts] == [Decimal("18000"), Decimal("30000")]


def test_bare_figures_are_money_only_when_the_caller_says_the_sentence_is_about_money():
    sentence = "412500, fixed price, delivered by 2027"
    assert find_amounts(sentence, default_currency="AUD") == []
    [amount] = find_amounts(sentence, default_currency="AUD", bare_figures=True)
    assert (amount.value, amount.currency) == (Decimal("412500"), "AUD")
    # A year, a time and a figure already in a percentage are not prices.
    assert find_amounts("fee from 2026, at 12:30, 1500% more", default_currency="AUD", bare_figures=True) == []
