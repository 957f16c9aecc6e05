"""Messaging channels (Telegram, Slack, Facebook Messenger, Twilio SMS and WhatsApp): auth, formatting, choices.

Rasa server only (loaded through credentials.yml).
"""
