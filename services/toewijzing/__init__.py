"""services/toewijzing: the gemeente back office for beschikkingen, toewijzingen (uren | resultaat),
verzoeken 315/317 and start/stop 305/307."""
