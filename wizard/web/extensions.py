"""Flask extensions of the web layer, created unbound and bound to the app in the factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
# Limits on requests that cost us or others something (emails, guesses); the storage is
# Redis when REDIS_URL is set (RATELIMIT_STORAGE_URI), so that every worker counts together.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
