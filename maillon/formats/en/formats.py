"""English as an association in France reads it: day, month, year ("6 December 2026",
"06/12/2026"), a 24-hour clock and weeks starting on Monday. Django's American
defaults ("Dec. 6, 2026", "12/06/2026") would make 06/12 read as June 12th.
Anything not set here falls back to Django's English formats."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# Typed dates are read day first; ISO dates (from <input type="date">) still work.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '25/10/2026'
    "%d/%m/%y",  # '25/10/26'
    "%Y-%m-%d",  # '2026-10-25'
    "%d %B %Y",  # '25 October 2026'
    "%d %b %Y",  # '25 Oct 2026'
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # '14:30'
    "%H:%M:%S",  # '14:30:59'
    "%H:%M:%S.%f",  # '14:30:59.000200'
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",  # '25/10/2026 14:30:59'
    "%d/%m/%Y %H:%M",  # '25/10/2026 14:30'
    "%d/%m/%Y",  # '25/10/2026'
    "%d/%m/%y %H:%M",  # '25/10/26 14:30'
    "%d/%m/%y",  # '25/10/26'
    "%Y-%m-%d %H:%M:%S",  # '2026-10-25 14:30:59'
    "%Y-%m-%d %H:%M",  # '2026-10-25 14:30'
    "%Y-%m-%d",  # '2026-10-25'
]
