"""Rasa server add-ons for storage: the tracker store that can erase a conversation."""

# Setting this slot (action_delete_data does) erases the conversation history; see erasable_tracker_store.py.
HISTORY_ERASED_SLOT = "history_erased"
