"""The Pacewise core: what both servers share, and no server code of its own.

- content/: the clinicians' content files, their checks, settings and rendering
- safety/: what a red-flag or crisis assessment is, and the safety intents
- text/: input checks and the text parsers (pain scores, activity amounts)
- storage/: the Pacewise database (tables, migrations, pseudonyms, patient data)
- routing.py: which curated content answers a classified question
- production.py: the settings a production deployment must not leave open
- cli/: the command-line tools (`python -m pacewise.cli.<tool>`), on top of
  everything: they may use the Rasa server's code, and no server imports them

Loaded by both servers: the action server (actions/) and the Rasa server
(components/, channels/, stores/) import from here; nothing here but cli/
imports from them (tests/test_import_direction.py).
"""

# Setting this slot (action_delete_data does) makes the tracker store erase the conversation history
# (stores/erasable_tracker_store.py): both servers rely on its name.
HISTORY_ERASED_SLOT = "history_erased"

# The one metadata field the website widget sends with a message: the browser's IANA time zone. The Socket.IO
# channel keeps only it (channels/socketio.py); check-ins use it when the patient names no zone (actions/check_ins/).
DEVICE_TIME_ZONE_KEY = "time_zone"
