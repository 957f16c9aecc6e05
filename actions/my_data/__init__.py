"""The patient's own data: a copy on request, and deletion after confirmation. Action server only."""
