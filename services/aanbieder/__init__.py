"""The provider stand-in: what an aanbieder's software does with iWmo 3.2 (see docs/aanbieder.md)."""
