// Local wall-clock times of the desk as the contract's date-times: a date and a time typed into a form, read in the
// service's time zone (Maryland's, America/New_York, unless configured), become ISO 8601 with that zone's UTC offset.

/** The time zone a desk's date and time are read in: TRUSTRULES_TIME_ZONE, else Maryland's. */
export function deskTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const zone = env.TRUSTRULES_TIME_ZONE || 'America/New_York';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`TRUSTRULES_TIME_ZONE must be an IANA time zone such as America/New_York, not ${zone}`);
  }
  return zone;
}

/** The zone's offset from UTC at an instant, in minutes east of UTC (New York in winter: -300). */
function offsetMinutes(zone: string, instant: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m || !m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-03-10` and `14:05` in `zone` as `2026-03-10T14:05:00-05:00`; null when the date or time is not one. */
export function zonedDateTime(date: string, time: string, zone: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da, h, mi, s] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  const wall = Date.UTC(y, mo - 1, da, h, mi, s);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== da || h > 23 || mi > 59 || s > 59) return null;
  // The offset in force at that wall time: guess with the offset at the wall time read as UTC, then correct once
  // (enough for every zone whose offset changes by at most a few hours, as all do).
  let offset = offsetMinutes(zone, wall);
  offset = offsetMinutes(zone, wall - offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Now in `zone` as a date (`YYYY-MM-DD`) and a time (`HH:MM`), for a form's defaults. */
export function zonedNow(zone: string, now = Date.now()): { date: string; time: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(now)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** An ISO date-time shown as the desk's local date and time (`2026-03-10 14:05`). */
export function deskTime(iso: string, zone: string): string {
  const { date, time } = zonedNow(zone, Date.parse(iso));
  return `${date} ${time}`;
}
