"""Administration in the browser: local authority administrators, schools' published details
(sector, Welsh medium type, the 2025 Act's language category, closure), invitations that make a
lead, the authority of a directory change in the audit trail, and uploads waiting to be applied

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 18:15:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admin_authority_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_admin_authority_id'), ['admin_authority_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_account_admin_authority_id_local_authority'), 'local_authority', ['admin_authority_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sector', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('welsh_medium_type', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('language_category', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_lead', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('local_authority_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_local_authority_id'), ['local_authority_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_local_authority_id_local_authority'), 'local_authority', ['local_authority_id'], ['id'], ondelete='SET NULL')

    op.create_table('pending_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('welsh_names', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_pending_import_local_authority_id_local_authority'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_pending_import_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_import')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_pending_import_token_hash'))
    )
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_import_created_at'), ['created_at'], unique=False)


def downgrade():
    op.drop_table('pending_import')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_event_local_authority_id_local_authority'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_event_local_authority_id'))
        batch_op.drop_column('local_authority_id')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('as_lead')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('closed_on')
        batch_op.drop_column('language_category')
        batch_op.drop_column('welsh_medium_type')
        batch_op.drop_column('sector')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_account_admin_authority_id_local_authority'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_account_admin_authority_id'))
        batch_op.drop_column('admin_authority_id')
