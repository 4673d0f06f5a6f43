"""Sales reports with SQLAlchemy."""
from sqlalchemy import create_engine, text

engine = create_engine("sqlite:///shop.db")


def sales_for(region: str):
    with engine.connect() as conn:
        return conn.execute(text("SELECT sum(total) FROM orders WHERE region = '%s'" % region)).scalar()


def sales_for_safe(region: str):
    with engine.connect() as conn:
        return conn.execute(text("SELECT sum(total) FROM orders WHERE region = :r"), {"r": region}).scalar()
