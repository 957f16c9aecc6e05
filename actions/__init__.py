"""The action server only (`python -m actions.server`): Rasa SDK actions, thin over the core (pacewise/).

Rasa SDK imports every module in this package and registers each concrete
`Action` subclass it finds, so modules here must stay cheap to import. Never
imports the Rasa server's packages (components/, channels/, stores/).
"""
