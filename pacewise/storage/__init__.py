"""Storage for what the bot must remember: SQLAlchemy, SQLite by default, PostgreSQL by URL. Core: both servers and the tools."""
