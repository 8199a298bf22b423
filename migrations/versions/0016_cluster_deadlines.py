"""Cluster deadlines (plans, year-end reviews) and the reminders sent before them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:20:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cluster_deadline',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('set_at', sa.DateTime(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['set_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cluster_id', 'academic_year', 'kind'),
    )
    op.create_table(
        'deadline_reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deadline_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['deadline_id'], ['cluster_deadline.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('deadline_id', 'due_on', 'school_id', 'kind'),
    )
    with op.batch_alter_table('deadline_reminder', schema=None) as batch_op:
        batch_op.create_index('ix_deadline_reminder_school_id', ['school_id'], unique=False)


def downgrade():
    op.drop_table('deadline_reminder')
    op.drop_table('cluster_deadline')
