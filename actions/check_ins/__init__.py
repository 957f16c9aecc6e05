"""Check-ins the patient asked for: setting them up, stopping, pausing, moving, and the check-in itself."""
