"""iwmo: the iWmo 3.2 message layer (catalogue, safe parsing, typed models, validation, retour)."""

__version__ = "0.1.0"
