"""Staff voice responses keyed by a random id, not a number counting up in order of arrival

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 12:45:00

A sequential id lined responses up with the order they came in (and so, beside a web server's
log, with who came in when). Each response now gets a random id (uuid4, 32 hex digits); on
SQLite the table is WITHOUT ROWID, so not even the hidden rowid counts up. Existing rows are
read, the table is made again and the rows written back with random ids, in one transaction.
"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = ('round_id', 'cookie_hash', 'role', 'ratings', 'board')


def _table(id_type):
    return sa.table(
        'staff_voice_response',
        sa.column('id', id_type),
        sa.column('round_id', sa.Integer),
        sa.column('cookie_hash', sa.String),
        sa.column('role', sa.String),
        sa.column('ratings', sa.JSON),
        sa.column('board', sa.JSON),
    )


def _rows(id_type):
    """Every response, its ratings and board read as JSON (not as text, which would be written
    back as a JSON string)."""
    table = _table(id_type)
    return [dict(row._mapping) for row in op.get_bind().execute(sa.select(table)).all()]


def _create(id_type, **kwargs):
    op.create_table('staff_voice_response',
    sa.Column('id', id_type, nullable=False, autoincrement=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('cookie_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('board', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['staff_voice_round.id'], name=op.f('fk_staff_voice_response_round_id_staff_voice_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_voice_response')),
    sa.UniqueConstraint('cookie_hash', name=op.f('uq_staff_voice_response_cookie_hash')),
    **kwargs,
    )
    with op.batch_alter_table('staff_voice_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_voice_response_round_id'), ['round_id'], unique=False)


def _drop():
    with op.batch_alter_table('staff_voice_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_voice_response_round_id'))
    op.drop_table('staff_voice_response')


def _write(rows, id_type):
    if rows:
        op.bulk_insert(_table(id_type), rows)


def upgrade():
    rows = _rows(sa.Integer())
    _drop()
    _create(sa.String(length=32), sqlite_with_rowid=False)
    fresh = [{**{name: row[name] for name in COLUMNS}, 'id': uuid.uuid4().hex} for row in rows]
    # In no particular order: the random ids are written sorted, not in order of arrival.
    _write(sorted(fresh, key=lambda row: row['id']), sa.String(length=32))


def downgrade():
    rows = sorted(_rows(sa.String(length=32)), key=lambda row: row['id'])
    _drop()
    _create(sa.Integer())
    _write(
        [{**{name: row[name] for name in COLUMNS}, 'id': number} for number, row in enumerate(rows, 1)],
        sa.Integer(),
    )
