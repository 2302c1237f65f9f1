"""Money in several currencies: the exchange rates EDB staff keep, and converting with them.

A rate is dated and names its source (e.g. the State Bank of Pakistan's published rates). An
amount is converted with the rate of the day (or the latest published before it, within a few
days, as banks publish on working days only); a missing rate is said, never guessed.
"""
