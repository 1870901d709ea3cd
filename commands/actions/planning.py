"""When an action's reminders fall due, from the `[reminders]` settings."""

from __future__ import annotations

from datetime import datetime, timedelta

from commands.services import Services
from storage.actions import Action
from storage.reminders import ReminderKind, ReminderState


def reminder_times(services: Services, action: Action) -> list[tuple[ReminderKind, datetime]]:
    config = services.settings.reminders
    return [
        (ReminderKind.DAY_BEFORE, action.starts_at - timedelta(hours=config.day_before_hours)),
        (ReminderKind.HOUR_BEFORE,
         action.starts_at - timedelta(minutes=config.hour_before_minutes)),
        (ReminderKind.REPORT_PROMPT,
         action.ends_at + timedelta(minutes=config.report_prompt_after_minutes)),
    ]


async def plan_reminders(services: Services, action: Action, *, moved: bool = False) -> None:
    """Plan (or re-plan after an edit) the reminders still ahead of now.

    A reminder whose time has already passed when the action is scheduled is not planned: a
    "day before" reminder for an action tomorrow morning would only arrive late. After a
    change of time (`moved`), reminders already sent are sent again for the new time, and a
    pending one whose new time has already passed is skipped (left pending, it would go out
    at the old time, after an action moved earlier).
    """
    now = services.clock.now()
    times = reminder_times(services, action)
    ahead = [(kind, due) for kind, due in times if due > now]
    if moved:
        await services.repos.reminders.reset(action.id, [kind for kind, _due in ahead])
        await _skip_overtaken(services, action, dict(times), now)
    await services.repos.reminders.plan(action.id, ahead)
    for _kind, due in ahead:
        services.waker.wake_at(due)


async def _skip_overtaken(services: Services, action: Action,
                          due: dict[ReminderKind, datetime], now: datetime) -> None:
    reminders = services.repos.reminders
    for reminder in await reminders.of_action(action.id):
        if (reminder.state is ReminderState.PENDING and due[reminder.kind] <= now
                and reminder.due_at != due[reminder.kind]):
            await reminders.finish(reminder.id, ReminderState.SKIPPED, now)
