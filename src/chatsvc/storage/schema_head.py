"""The newest schema revision this build has, known without loading Alembic.

Alembic and the migration scripts take about 12 MB of a server's memory (bench/PROFILE.md), yet a server almost
always starts on a database that is already current. Knowing the head as a constant lets it check the recorded
revision with one query and load the migrator only when there is something to do. tests/storage/test_schema_head.py
holds this equal to the migrations' head; `make migration` moves it.
"""
HEAD = "0009"
