"""The language each answer, comment and reply was written in

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:45:00

A step's answers and a comment or reply keep the language they were written in ("cy" or "en":
the page's language when they were saved), so that pages, PDFs and the documents made from them
mark text in the other language with its `lang`, and a Welsh screen reader does not read English
answers with Welsh pronunciation. Rows saved before this revision have none (NULL): their
language is not known, and they are shown unmarked as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_answer') as batch:
        batch.add_column(sa.Column('lang', sa.String(length=2), nullable=True))
    with op.batch_alter_table('plan_comment') as batch:
        batch.add_column(sa.Column('lang', sa.String(length=2), nullable=True))


def downgrade():
    with op.batch_alter_table('plan_comment') as batch:
        batch.drop_column('lang')
    with op.batch_alter_table('plan_answer') as batch:
        batch.drop_column('lang')
