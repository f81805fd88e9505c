"""The one exception the command line turns into a clear message and a non-zero exit."""


class GradingError(Exception):
    """A problem the user can fix (bad input, broken course); the message says how."""

    exit_code = 2
