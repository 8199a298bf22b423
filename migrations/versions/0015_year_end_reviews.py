"""Year-end reviews of plans: their sections, frozen versions and reporting facts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 18:20:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

FACT_KEYS = (
    ('school_id', sa.Integer(), False),
    ('cluster_id', sa.Integer(), True),
    ('local_authority_id', sa.Integer(), False),
    ('academic_year', sa.Integer(), False),
    ('version_number', sa.Integer(), False),
    ('latest', sa.Boolean(), False),
)


def _fact_table(name, *columns):
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        *[sa.Column(key, kind, nullable=nullable) for key, kind, nullable in FACT_KEYS],
        *columns,
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(f'ix_{name}_school_id', ['school_id'], unique=False)
        batch_op.create_index(
            f'ix_{name}_year_cluster', ['academic_year', 'latest', 'cluster_id'], unique=False
        )
        batch_op.create_index(
            f'ix_{name}_year_authority',
            ['academic_year', 'latest', 'local_authority_id'],
            unique=False,
        )


def upgrade():
    op.create_table(
        'year_end_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('plan_id'),
    )
    op.create_table(
        'year_end_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('section', sa.String(length=80), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('lang', sa.String(length=2), nullable=True),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['review_id'], ['year_end_review.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('review_id', 'section'),
    )
    op.create_table(
        'year_end_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['review_id'], ['year_end_review.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('review_id', 'number'),
    )
    _fact_table(
        'fact_year_end_funding',
        sa.Column('purpose', sa.String(length=60), nullable=False),
        sa.Column('priority', sa.String(length=60), nullable=False),
        sa.Column('planned_pence', sa.Integer(), nullable=False),
        sa.Column('actual_pence', sa.Integer(), nullable=False),
        sa.Column('added', sa.Boolean(), nullable=False),
    )
    _fact_table(
        'fact_year_end_impact',
        sa.Column('card_key', sa.String(length=60), nullable=False),
        sa.Column('title_en', sa.String(length=120), nullable=True),
        sa.Column('title_cy', sa.String(length=120), nullable=True),
        sa.Column('reactions', sa.Boolean(), nullable=False),
        sa.Column('learning', sa.Boolean(), nullable=False),
        sa.Column('organisation', sa.Boolean(), nullable=False),
        sa.Column('practice', sa.Boolean(), nullable=False),
        sa.Column('learners', sa.Boolean(), nullable=False),
        sa.Column('criteria', sa.String(length=20), nullable=False),
    )


def downgrade():
    op.drop_table('fact_year_end_impact')
    op.drop_table('fact_year_end_funding')
    op.drop_table('year_end_version')
    op.drop_table('year_end_answer')
    op.drop_table('year_end_review')
