"""Emails stored as they are compared: NFKC and case folding (not only lower case)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 12:30:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _normalised(email):
    # As wizard.domain.inputs.normalise_email at the time of this migration.
    folded = unicodedata.normalize('NFKC', email.strip()).casefold()
    return unicodedata.normalize('NFKC', folded).strip()


def _normalise(table_name, unique):
    connection = op.get_bind()
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('email', sa.String))
    rows = connection.execute(sa.select(table.c.id, table.c.email).order_by(table.c.id)).all()
    taken = {email for _, email in rows}
    for row_id, email in rows:
        wanted = _normalised(email)
        if wanted == email:
            continue
        if unique and wanted in taken:
            # Another account already has this address as normalised: this one keeps its email
            # as it was (an administrator merges the two by hand); rows are never merged here.
            continue
        connection.execute(table.update().where(table.c.id == row_id).values(email=wanted))
        taken.add(wanted)


def upgrade():
    _normalise('user_account', unique=True)
    _normalise('invitation', unique=False)


def downgrade():
    pass  # the normalised emails are the same addresses
