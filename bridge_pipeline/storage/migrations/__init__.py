"""Alembic environment and revision scripts for the project's tables (shipped as package data)."""
