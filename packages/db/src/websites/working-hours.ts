import { type OpeningTimes, WEEKDAYS, type Weekday, type WorkingHours } from '@parley/protocol';

// The types of working hours are the protocol's, since the dashboard's API carries them.
export { type OpeningTimes, WEEKDAYS, type Weekday, type WorkingHours };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of an `HH:MM` time, or null when it is not one. */
export function minutesOf(time: string): number | null {
  const match = TIME.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Whether `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

const weekdayByShortName: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** The weekday and minute of the day that `at` is in `timeZone`. */
export function localTime(at: number, timeZone: string): { day: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = weekdayByShortName[part('weekday')];
  if (!day) throw new Error(`Unexpected weekday ${part('weekday')} in ${timeZone}`);
  return { day, minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

/** Whether a website with these hours is open at `at`; no hours means always open. */
export function isOpenAt(hours: WorkingHours | null, at: number): boolean {
  if (!hours) return true;
  const { day, minute } = localTime(at, hours.timeZone);
  const today = hours.days[day];
  if (!today) return false;
  const open = minutesOf(today.open);
  const close = minutesOf(today.close);
  return open !== null && close !== null && minute >= open && minute < close;
}

const MINUTE = 60_000;

/**
 * The next moment after `at` when a website with these hours opens or closes, or null when it never does (no hours,
 * or no day open). Counted in the website's local minutes, so across a change of daylight-saving time it can be an
 * hour off; whoever waits for it asks `isOpenAt` again then.
 */
export function nextChangeAt(hours: WorkingHours | null, at: number): number | null {
  if (!hours) return null;
  const { day, minute } = localTime(at, hours.timeZone);
  const today = WEEKDAYS.indexOf(day);
  for (let ahead = 0; ahead <= WEEKDAYS.length; ahead += 1) {
    const times = hours.days[WEEKDAYS[(today + ahead) % WEEKDAYS.length]!];
    if (!times) continue;
    for (const time of [times.open, times.close]) {
      const local = minutesOf(time);
      if (local === null) continue;
      const minutesAway = ahead * 24 * 60 + local - minute;
      if (minutesAway > 0) return at - (at % MINUTE) + minutesAway * MINUTE;
    }
  }
  return null;
}
