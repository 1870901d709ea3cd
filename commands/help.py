"""Usage lines and help, written from the command specs."""

from __future__ import annotations

from commands.i18n import Lines, Renderable, Text, _, join, lines
from commands.reply import Reply
from commands.spec import CommandSpec, Registry


def usage_line(spec: CommandSpec) -> Text:
    return _("Usage: {usage} (help {command} for details)").format(
        usage=spec.usage(), command=spec.name
    )


def _visible(spec: CommandSpec, is_staff: bool) -> bool:
    return not spec.hidden and (is_staff or not _staff_only(spec))


def _staff_only(spec: CommandSpec) -> bool:
    return spec.rule.role is None


def command_help(spec: CommandSpec) -> Reply:
    parts: list[Renderable] = [
        _("{usage} — {summary}").format(usage=spec.usage(), summary=spec.summary),
        _("Who: {who}").format(who=spec.rule.description),
    ]
    for option in spec.options:
        marker = "" if option.required else _(" (optional)")
        parts.append(
            Lines((f"  {option.name}: ", option.description, marker), separator="")
        )
    return Reply(join(parts), private=True)


def group_help(registry: Registry, prefix: tuple[str, ...], is_staff: bool) -> Reply:
    under = registry.under(prefix)
    specs = [spec for spec in under if _visible(spec, is_staff)]
    if not specs:
        # A group reserved to staff: say so rather than answer an empty message.
        who = under[0].rule.description if under else _("national staff")
        return Reply(_("Only {who} can do that.").format(who=who), error=True)
    entries = [_("{usage} — {summary}").format(usage=spec.usage(), summary=spec.summary)
               for spec in specs]
    return Reply(join(entries), private=True)


def overview(registry: Registry, is_staff: bool, organisation: str) -> Reply:
    parts: list[Renderable] = [
        _("{organisation}: start or join a local committee, organise field actions."
          ).format(organisation=organisation),
    ]
    for group, specs in registry.groups().items():
        shown = [spec for spec in specs if _visible(spec, is_staff)]
        if not shown:
            continue
        names = ", ".join(" ".join(spec.path[1:]) or spec.path[0] for spec in shown)
        parts.append(f"• {group}: {names}" if len(shown) > 1 or shown[0].path != (group,)
                     else Lines((f"• {group} — ", shown[0].summary), separator=""))
    parts.append(
        _("Type help followed by a command for details, for example: help committee create")
    )
    return Reply(lines(*parts), private=True)
