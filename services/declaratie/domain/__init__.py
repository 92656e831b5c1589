"""The declaratie service's flows, as plain functions."""
