"""Command names and descriptions in French and English, from the commands' own sentences.

Summaries and option descriptions are message ids of the catalogues (`commands/locale`);
Discord gets them in the organisation's language as the default, with French and English
localisations. Group, subcommand and option *names* are declared in English, the default
name; French clients see the French names of `names.py` (`/comité rejoindre`). Discord sends
the English names back, whatever the client's language.
"""

from __future__ import annotations

from discord import Locale, app_commands

from bot.platforms.discord.names import french_command, french_option
from commands.i18n import translate

# Discord's limit for descriptions and choice names.
DESCRIPTION_LIMIT = 100
LANGUAGES = {
    Locale.french: "fr",
    Locale.american_english: "en",
    Locale.british_english: "en",
}
# Names are localised in French only: every other language sees the English names.
NAMED = Locale.french
COMMAND_NAMES = {
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
}


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def localised(
    msgid: str, base_locale: str, limit: int = DESCRIPTION_LIMIT
) -> app_commands.locale_str:
    """A translatable string for the command tree, shown in `base_locale` by default."""
    return app_commands.locale_str(
        shorten(translate(msgid, base_locale), limit), msgid=msgid, limit=limit
    )


class SpecTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if context.location in COMMAND_NAMES:
            return french_command(string.message) if locale is NAMED else None
        if context.location is app_commands.TranslationContextLocation.parameter_name:
            return french_option(string.message) if locale is NAMED else None
        msgid = string.extras.get("msgid")
        language = LANGUAGES.get(locale)
        if msgid is None or language is None:
            return None
        return shorten(translate(msgid, language), string.extras.get("limit", DESCRIPTION_LIMIT))
