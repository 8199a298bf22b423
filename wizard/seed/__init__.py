"""Seed data: the demo (directory, accounts, plans, a staff voice round) and a database at the
scale of Wales. Only the CLI, scripts and tests import this package; no request ever runs it
(an import-linter contract in pyproject.toml keeps it so).

Seed code writes through the data layer's public functions where one exists (get_plan,
get_or_create_plan, submit, load_local_authorities, hash_password). It builds rows from the
models directly only where the product has no such write: directory rows (clusters, schools and
accounts with fixed names and numbers), plans written whole with back-dated answers, comments
and review outcomes, fictional staff voice responses, and the bulk inserts of seed-wales, which
write hundreds of thousands of rows a batch at a time rather than one request's worth.
"""
