"""Rasa server: the tracker store (erasing a conversation on request, loading long sessions by their
recent turns) and the Redis lock store for several servers."""
