"""Report results shared within one piece of work, so a figure asked for twice is computed once.

The evaluation workbook's summary sheet states figures the report sheets behind it show again (the
year's totals, the agent network, contribution continuity, targets). Inside ``sharing_results()`` a
report function decorated with ``@shared`` returns what its first call with the same arguments
returned; outside it every call computes afresh, so a page never shows a figure older than its request.
The results are shared, not copied: the report functions return values their callers only read.
"""

import contextlib
import contextvars
import functools

_results = contextvars.ContextVar("report_results", default=None)


def shared(function):
    """``function`` (called with keyword arguments only) computed once per arguments inside ``sharing_results()``."""

    @functools.wraps(function)
    def wrapper(**arguments):
        results = _results.get()
        if results is None:
            return function(**arguments)
        key = (function.__module__, function.__qualname__, tuple(sorted(arguments.items())))
        if key not in results:
            results[key] = function(**arguments)
        return results[key]

    return wrapper


@contextlib.contextmanager
def sharing_results():
    """Within the block, ``@shared`` report functions compute each result once."""
    token = _results.set({})
    try:
        yield
    finally:
        _results.reset(token)
