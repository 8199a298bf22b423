"""Sign-in attempts keep an HMAC of the email typed, never the text, and the trusted device;
sign-in failures in the audit trail keep no typed email

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 12:15:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# Audit events whose detail held the email as typed on the sign-in page (which may be a
# password typed into the wrong field).
TYPED_EMAIL_ACTIONS = ('sign-in-failed', 'sign-in-throttled')


def upgrade():
    # The rows only count failures of the last 15 minutes, and the text typed cannot be turned
    # into the HMAC here (the migration does not know SECRET_KEY): they are deleted.
    op.execute(sa.text('DELETE FROM sign_in_attempt'))
    with op.batch_alter_table('sign_in_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_attempt_email_created')
        batch_op.drop_column('email')
        batch_op.add_column(sa.Column('account', sa.String(length=64), nullable=False))
        batch_op.add_column(sa.Column('device', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_sign_in_attempt_account_created', ['account', 'created_at'], unique=False)

    connection = op.get_bind()
    audit = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('action', sa.String), sa.column('detail', sa.JSON))
    rows = connection.execute(
        sa.select(audit.c.id, audit.c.detail).where(audit.c.action.in_(TYPED_EMAIL_ACTIONS))
    ).all()
    for row_id, detail in rows:
        if isinstance(detail, str):
            detail = json.loads(detail)
        if isinstance(detail, dict) and 'email' in detail:
            kept = {key: value for key, value in detail.items() if key != 'email'}
            connection.execute(audit.update().where(audit.c.id == row_id).values(detail=kept))


def downgrade():
    op.execute(sa.text('DELETE FROM sign_in_attempt'))
    with op.batch_alter_table('sign_in_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_attempt_account_created')
        batch_op.drop_column('device')
        batch_op.drop_column('account')
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.create_index('ix_sign_in_attempt_email_created', ['email', 'created_at'], unique=False)
