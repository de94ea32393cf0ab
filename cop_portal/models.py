"""The project package keeps no models: email preferences live in the mail app
(cop_portal.mail.models), which every app may import from."""
