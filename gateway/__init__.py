"""The hub: a faithful local simulation of GGK (gemeenten) and VECOZO (aanbieders)."""
