"""Gemeente: every WMO323 checked against what was granted, delivered and contracted; answered with a WMO325."""
