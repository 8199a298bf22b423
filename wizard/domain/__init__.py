"""The domain layer: the rules of the service in plain Python. No Flask, no SQLAlchemy, no
data or web code (import-linter checks it); framework content carries Flask-Babel's lazy
strings, which are only text waiting for a language."""
