"""The bot: config, process, scheduler and the platforms that carry commands."""
