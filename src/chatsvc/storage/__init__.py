"""SQLAlchemy tables, repositories, unit of work and migrations; the only package that imports sqlalchemy."""
