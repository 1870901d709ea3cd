"""Commands: what the bot does, every rule and every sentence, with no platform library."""
