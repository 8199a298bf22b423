"""Typed wrappers of Flask-Babel's gettext functions (Flask-Babel ships no type hints)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _gettext
from flask_babel import ngettext as _ngettext
from flask_babel import pgettext as _pgettext


def gettext(string: str, **variables: Any) -> str:
    return str(_gettext(string, **variables))


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    return str(_ngettext(singular, plural, num, **variables))


def pgettext(context: str, string: str, **variables: Any) -> str:
    return str(_pgettext(context, string, **variables))
