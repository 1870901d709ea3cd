"""The national digest for staff: figures, chat text, CSV, chart, the command and the
weekly post. Importing `commands.digest.command` declares the `digest` command."""
