"""The gemeente services of the suite (each its own app and database)."""
