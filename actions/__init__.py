"""Pacewise custom actions, served by `rasa run actions`.

Rasa SDK imports every module in this package and registers each concrete
`Action` subclass it finds, so modules here must stay cheap to import.
"""
