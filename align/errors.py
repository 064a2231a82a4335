"""The exceptions the CLI turns into one line and exit code 2, and the web server into a 4xx answer."""


class InputError(Exception):
    """Bad input or bad usage: the message names the file, the line and what to do."""


class NotFoundError(InputError):
    """A document or unit that does not exist (web: 404)."""


class ConflictError(InputError):
    """An edit made against a version of a document that has changed since (web: 409)."""


class BusyError(InputError):
    """The memory is held by another program longer than the wait allows (web: 503)."""
