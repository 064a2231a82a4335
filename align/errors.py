"""The one exception type the CLI turns into a one-line message and exit code 2."""


class InputError(Exception):
    """Bad input or bad usage: the message names the file, the line and what to do."""
