"""Own Diamond 9 cards can carry a description, in English, Welsh or both

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 21:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('own_card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description_en', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('description_cy', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('own_card', schema=None) as batch_op:
        batch_op.drop_column('description_cy')
        batch_op.drop_column('description_en')
