"""Small helpers shared by every app; nothing here imports an app."""
