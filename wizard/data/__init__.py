"""The data layer: the only code that touches the database session. Models, and the loading
and saving of plans, boards, versions, the directory, accounts, invitations and the audit trail,
each write one transaction. It imports no web code."""
