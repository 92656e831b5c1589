"""The stand-in's domain: what it does with what the gemeente sends (ontvangst) and what it sends on command (uitgaand)."""
