"""Field actions: scheduling in plain French or English, series, RSVPs, reminders, calendars."""
